package dev.recycling.drain;

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

}
