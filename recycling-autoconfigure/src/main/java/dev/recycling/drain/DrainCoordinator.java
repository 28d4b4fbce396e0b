package dev.recycling.drain;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import dev.recycling.support.Durations;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationListener;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.core.Ordered;

/**
 * Closes a generation without losing a connection, on recycle and on shutdown alike. It runs
 * when the context starts closing ({@link ContextClosedEvent}), before any lifecycle bean
 * stops and before Spring Boot's graceful shutdown of the web server, so the application
 * still serves fully meanwhile:
 * <ol>
 * <li>the {@link DrainGate}: readiness down, wait for the load balancer, in-flight requests
 * and the accept queue (skipped with {@code recycling.drain.enabled=false});</li>
 * <li>stop taking connections off the backlog;</li>
 * <li>wait until every accepted connection has been served, so that the graceful shutdown
 * that follows finds none (a paused Tomcat answers 503 to a connection it has accepted but
 * not read). A connection silent for {@code idleTimeout} with no request in flight counts as
 * an idle keep-alive connection and is left to the graceful shutdown, which closes it.</li>
 * </ol>
 * All of it together never takes longer than {@code recycling.drain.timeout}: what the drain
 * used is not left for the accepted connections. After a {@link #handOver() handover}
 * (overlap) the last two steps have run before the close, and the close adds nothing.
 *
 * @author recycling team
 */
public final class DrainCoordinator implements ApplicationListener<ContextClosedEvent>, Ordered {

	private static final Logger logger = LoggerFactory.getLogger(DrainCoordinator.class);

	private final ApplicationContext context;

	private final @Nullable DrainGate gate;

	private final List<ConnectionQuiescer> quiescers;

	private final RequestActivity activity;

	private final Duration timeout;

	private final Duration idleTimeout;

	private final Consumer<Duration> drained;

	private final AtomicBoolean accepting = new AtomicBoolean(true);

	private final AtomicBoolean closed = new AtomicBoolean();

	private volatile boolean handedOver;

	// a recycle is routine: its close logs at DEBUG what a shutdown logs at INFO
	private volatile boolean recycling;

	private volatile @Nullable DrainReport lastReport;

	/**
	 * Create a coordinator.
	 * @param context the generation's context
	 * @param gate the drain gate, or {@code null} when the drain is disabled
	 * @param quiescers the connectors of the web server
	 * @param activity the traffic record
	 * @param timeout the longest close (drain and accepted connections together)
	 * @param idleTimeout how long accepted connections may stay silent, with no request in
	 * flight, before they count as idle keep-alive connections rather than requests on their
	 * way
	 * @param drained told how long the close waited, once the accepted connections are served
	 */
	public DrainCoordinator(ApplicationContext context, @Nullable DrainGate gate, List<ConnectionQuiescer> quiescers,
			RequestActivity activity, Duration timeout, Duration idleTimeout, Consumer<Duration> drained) {
		this.context = context;
		this.gate = gate;
		this.quiescers = quiescers;
		this.activity = activity;
		this.timeout = timeout;
		this.idleTimeout = idleTimeout;
		this.drained = drained;
	}

	/**
	 * A recycle was decided: when nobody watches readiness there is nothing to wait for, so
	 * stop taking connections at once and the generation serves few requests past its limit.
	 */
	public void recycleStarting() {
		this.recycling = true;
		DrainGate gate = this.gate;
		if (gate == null || !gate.isWatched()) {
			stopAccepting();
		}
	}

	/**
	 * The next generation took over the listening socket (overlap): stop taking
	 * connections, close each connection after its current response, and serve every
	 * accepted connection now, before the context starts closing and readiness turns to
	 * refusing. The close that follows skips the drain gate: the instance never left the
	 * rotation.
	 */
	public void handOver() {
		this.handedOver = true;
		this.recycling = true;
		if (this.closed.compareAndSet(false, true)) {
			long start = System.nanoTime();
			stopAccepting();
			serveAccepted(start);
		}
	}

	@Override
	public void onApplicationEvent(ContextClosedEvent event) {
		if (event.getApplicationContext() != this.context || !this.closed.compareAndSet(false, true)) {
			return;
		}
		long start = System.nanoTime();
		DrainGate gate = this.gate;
		if (gate != null) {
			try {
				this.lastReport = gate.drain(this.accepting.get());
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
		stopAccepting();
		serveAccepted(start);
	}

	private void log(String message, Object... arguments) {
		if (this.recycling) {
			logger.debug(message, arguments);
		}
		else {
			logger.info(message, arguments);
		}
	}

	private void serveAccepted(long start) {
		try {
			long stopped = System.nanoTime();
			long accepted = openConnections();
			long deadline = start + this.timeout.toNanos();
			while (!Thread.currentThread().isInterrupted()) {
				long open = openConnections();
				long now = System.nanoTime();
				if (open == 0) {
					log("Stopped taking connections; {} accepted connections served", accepted);
					break;
				}
				if (idle(stopped, now)) {
					log("Stopped taking connections; {} accepted connections served, {} idle keep-alive "
							+ "connections left to the server's graceful shutdown", accepted - open, open);
					break;
				}
				if (now - deadline >= 0) {
					logger.warn("Stopped taking connections; {} connections still open when the close reached "
							+ "recycling.drain.timeout={}; the server's graceful shutdown closes them", open,
							Durations.format(this.timeout));
					break;
				}
				Thread.sleep(5);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		this.drained.accept(Duration.ofNanos(System.nanoTime() - start));
	}

	private long openConnections() {
		return this.quiescers.stream().mapToLong(ConnectionQuiescer::openConnections).sum();
	}

	// an accepted connection sends its request at once; one silent for idleTimeout is an idle keep-alive
	private boolean idle(long stopped, long now) {
		if (this.activity.inFlight() > 0) {
			return false;
		}
		long lastStart = this.activity.lastStartWhileClosingNanos();
		long quietSince = (lastStart != Long.MIN_VALUE && lastStart - stopped > 0) ? lastStart : stopped;
		return now - quietSince >= this.idleTimeout.toNanos();
	}

	/**
	 * Stop taking connections off the backlog; from now on responses close their connection.
	 */
	public void stopAccepting() {
		if (this.accepting.compareAndSet(true, false)) {
			this.activity.closeConnections();
			this.quiescers.forEach(ConnectionQuiescer::stopAccepting);
		}
	}

	/**
	 * Return whether the generation is draining or closing.
	 * @return whether draining
	 */
	public boolean isDraining() {
		return this.activity.isDraining() || !this.accepting.get();
	}

	/**
	 * Return the report of the drain, if one ran.
	 * @return the report or {@code null}
	 */
	public @Nullable DrainReport getLastReport() {
		return this.lastReport;
	}

	// after the recycler's listener, which marks the generation DRAINING and records its memory
	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE + 200;
	}

}
