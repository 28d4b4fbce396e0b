package dev.recycling.restart;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.SmartLifecycle;

/**
 * Runs when a generation's context closes, before Spring Boot's graceful shutdown of the
 * web server: stops taking connections off the backlog and waits until the accepted ones
 * have been served.
 * <p>
 * Spring Boot's graceful shutdown pauses the connector; Tomcat then answers 503 to a
 * connection accepted but not yet read, and closes it. Doing it in this order, a connection
 * is either served by this generation or left in the kernel's backlog for the next.
 *
 * @author recycling team
 */
public final class ConnectionQuiesceLifecycle implements SmartLifecycle {

	private static final Logger logger = LoggerFactory.getLogger(ConnectionQuiesceLifecycle.class);

	/**
	 * Phase of this lifecycle: stopped just before the web server's graceful shutdown.
	 */
	public static final int PHASE = WebServerApplicationContext.GRACEFUL_SHUTDOWN_PHASE + 1;

	/**
	 * Longest wait for accepted connections to be served.
	 */
	public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

	private final List<ConnectionQuiescer> quiescers;

	private final Duration timeout;

	private final AtomicBoolean accepting = new AtomicBoolean(true);

	private final AtomicBoolean stopped = new AtomicBoolean();

	private volatile boolean running;

	/**
	 * Create a lifecycle for the given connectors.
	 * @param quiescers the connectors of the web server
	 * @param timeout the longest wait for accepted connections
	 */
	public ConnectionQuiesceLifecycle(List<ConnectionQuiescer> quiescers, Duration timeout) {
		this.quiescers = quiescers;
		this.timeout = timeout;
	}

	@Override
	public void start() {
		this.running = true;
	}

	/**
	 * Stop taking connections off the backlog now, ahead of the close: called as soon as a
	 * recycle is decided, so that a generation serves few requests past its limit.
	 */
	public void stopAccepting() {
		if (this.accepting.compareAndSet(true, false)) {
			this.quiescers.forEach(ConnectionQuiescer::stopAccepting);
		}
	}

	@Override
	public void stop() {
		if (!this.stopped.compareAndSet(false, true)) {
			return;
		}
		long start = System.nanoTime();
		stopAccepting();
		long waiting = this.quiescers.stream().mapToLong(ConnectionQuiescer::openConnections).sum();
		boolean served = true;
		try {
			for (ConnectionQuiescer quiescer : this.quiescers) {
				Duration left = this.timeout.minusNanos(System.nanoTime() - start);
				served &= quiescer.awaitConnectionsClosed(left.isNegative() ? Duration.ZERO : left);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			served = false;
		}
		long tookMillis = Duration.ofNanos(System.nanoTime() - start).toMillis();
		if (served) {
			logger.info("Stopped taking connections; {} accepted connections served in {} ms", waiting, tookMillis);
		}
		else {
			long open = this.quiescers.stream().mapToLong(ConnectionQuiescer::openConnections).sum();
			logger.warn("Stopped taking connections; {} connections still open after {} ms (idle keep-alive "
					+ "connections are closed by the server's graceful shutdown)", open, tookMillis);
		}
		this.running = false;
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return PHASE;
	}

	/**
	 * Return whether the generation is closing: responses should then close their
	 * connection.
	 * @return whether closing
	 */
	public boolean isClosing() {
		return !this.accepting.get();
	}

}
