package dev.recycling.drain;

import java.time.Duration;

/**
 * Server-specific part of closing a generation without losing a connection: stop taking
 * connections off the listening socket's backlog (they stay queued in the kernel for the
 * next generation), then wait until every connection already taken has been served.
 *
 * @author recycling team
 */
public interface ConnectionQuiescer {

	/**
	 * Stop taking new connections off the backlog. Returns once no new connection will be
	 * accepted.
	 */
	void stopAccepting();

	/**
	 * Return the number of accepted connections still open.
	 * @return the open connections
	 */
	long openConnections();

	/**
	 * Stop taking new connections, then wait until the accepted ones are closed (their
	 * responses carry on as usual), at most {@code timeout}: for a server that has no
	 * {@link DrainCoordinator} of its own, such as a management server on its own port.
	 * @param timeout the longest wait; connections still open then (idle keep-alive ones)
	 * are left to the server's shutdown
	 */
	default void stopAcceptingAndAwaitServed(Duration timeout) {
		stopAccepting();
		long deadline = System.nanoTime() + timeout.toNanos();
		try {
			while (openConnections() > 0 && System.nanoTime() - deadline < 0) {
				Thread.sleep(5);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
