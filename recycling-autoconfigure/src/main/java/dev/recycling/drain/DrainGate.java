package dev.recycling.drain;

import java.time.Duration;
import java.util.OptionalLong;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

import dev.recycling.support.Durations;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The drain sequence, the same on recycle and on shutdown, bounded by a timeout:
 * <ol>
 * <li>readiness goes {@code REFUSING_TRAFFIC} while the server keeps serving;</li>
 * <li>if someone watches readiness (probes answered at a regular interval, the last one
 * recently), wait until a probe has been answered "not ready", at most a few of the observed
 * probe intervals, then until no application request has started for the quiet period; if
 * nobody watches (no probe, or a one-off check such as a deploy script's), skip this;</li>
 * <li>wait until no application request is in flight and the listening socket's accept
 * queue is empty.</li>
 * </ol>
 * After it the server may stop taking connections.
 *
 * @author recycling team
 */
public final class DrainGate {

	private static final Logger logger = LoggerFactory.getLogger(DrainGate.class);

	private static final Duration POLL_INTERVAL = Duration.ofMillis(10);

	/**
	 * A watcher probes at least once in this many of its own intervals; it is waited for
	 * that long to see "not ready".
	 */
	static final int WATCHER_INTERVALS = 3;

	// the shortest wait for a watcher, for load balancers that probe many times a second
	private static final Duration MINIMUM_WATCHER_WAIT = Duration.ofSeconds(1);

	private final RequestActivity activity;

	private final AcceptQueueReader acceptQueue;

	private final IntSupplier port;

	private final Runnable refuseTraffic;

	private final DrainSettings settings;

	private final LongSupplier nanoClock;

	private final Sleeper sleeper;

	/**
	 * Create a gate.
	 * @param activity the traffic record
	 * @param acceptQueue reads the accept queue
	 * @param port the listening port, or -1 if there is none
	 * @param refuseTraffic publishes readiness {@code REFUSING_TRAFFIC}
	 * @param settings the drain settings
	 * @param nanoClock the monotonic clock
	 * @param sleeper waits between polls
	 */
	public DrainGate(RequestActivity activity, AcceptQueueReader acceptQueue, IntSupplier port,
			Runnable refuseTraffic, DrainSettings settings, LongSupplier nanoClock, Sleeper sleeper) {
		this.activity = activity;
		this.acceptQueue = acceptQueue;
		this.port = port;
		this.refuseTraffic = refuseTraffic;
		this.settings = settings;
		this.nanoClock = nanoClock;
		this.sleeper = sleeper;
	}

	/**
	 * Return whether someone watches readiness: at least two probes were answered, the last
	 * one within the probe window and within a few of the observed probe intervals. A single
	 * check at start-up, or probes that stopped long ago, do not count.
	 * @return whether someone watches readiness
	 */
	public boolean isWatched() {
		long wait = watcherWaitNanos();
		if (wait < 0) {
			return false;
		}
		long since = Math.min(wait, this.settings.probeWindow().toNanos());
		return this.activity.probeAnsweredSince(this.nanoClock.getAsLong() - since);
	}

	// how long a watcher takes at most to probe again, or -1 if there is no regular prober
	private long watcherWaitNanos() {
		long interval = this.activity.probeIntervalNanos();
		if (interval < 0) {
			return -1;
		}
		return Math.max(MINIMUM_WATCHER_WAIT.toNanos(), WATCHER_INTERVALS * interval);
	}

	/**
	 * Run the drain.
	 * @param accepting whether the server still takes connections off the backlog; if not,
	 * the connections queued there wait for the next generation and are not drained
	 * @return what it waited for
	 * @throws InterruptedException if interrupted while waiting
	 */
	public DrainReport drain(boolean accepting) throws InterruptedException {
		long start = this.nanoClock.getAsLong();
		long deadline = start + this.settings.timeout().toNanos();
		boolean watched = isWatched();
		this.activity.startDraining();
		this.refuseTraffic.run();
		long watcherWait = watched ? watcherWaitNanos() : 0;
		logger.info("Draining: readiness is now REFUSING_TRAFFIC; {}", watched
				? "waiting for a readiness probe to see it (probes come every "
						+ Durations.format(Duration.ofNanos(this.activity.probeIntervalNanos())) + "; at most "
						+ Durations.format(Duration.ofNanos(watcherWait)) + "), then for "
						+ Durations.format(this.settings.quietPeriod()) + " without new requests (at most "
						+ Durations.format(this.settings.timeout()) + " in all)"
				: "no regular readiness probe in the last " + Durations.format(this.settings.probeWindow())
						+ ", so not waiting for a load balancer");
		long notReadyAt = start;
		long quietAt = start;
		boolean notReadySeen = false;
		if (watched) {
			long notReadyDeadline = (deadline - (start + watcherWait) < 0) ? deadline : start + watcherWait;
			notReadySeen = waitUntil(() -> this.activity.notReadyAnsweredSince(start), notReadyDeadline);
			if (!notReadySeen) {
				logger.warn("No readiness probe came within {} ({} probe intervals) to see 'not ready'; the watcher "
						+ "seems gone, going on with the drain", Durations.format(Duration.ofNanos(watcherWait)),
						WATCHER_INTERVALS);
			}
			notReadyAt = this.nanoClock.getAsLong();
			long quietFrom = notReadyAt;
			waitUntil(() -> quietPeriodPassed(quietFrom), deadline);
			quietAt = this.nanoClock.getAsLong();
		}
		int port = this.port.getAsInt();
		boolean queueReadable = accepting && port > 0 && this.acceptQueue.queuedConnections(port).isPresent();
		if (accepting && !queueReadable) {
			logger.debug("Not checking the accept queue of port {}: /proc/net/tcp is not readable here", port);
		}
		boolean drained = waitUntil(() -> this.activity.inFlight() <= 0 && (!queueReadable || queueEmpty(port)),
				deadline);
		long end = this.nanoClock.getAsLong();
		DrainReport report = new DrainReport(watched, Duration.ofNanos(notReadyAt - start),
				Duration.ofNanos(quietAt - notReadyAt), Duration.ofNanos(end - quietAt), Duration.ofNanos(end - start),
				this.activity.startedWhileDraining(), queueReadable, !drained || end - deadline >= 0);
		log(report, notReadySeen);
		return report;
	}

	// probes keep coming while we wait: only application requests break the quiet
	private boolean quietPeriodPassed(long notReadyAt) {
		long now = this.nanoClock.getAsLong();
		long lastActivity = Math.max(this.activity.lastStartWhileDrainingNanos(), notReadyAt);
		return now - lastActivity >= this.settings.quietPeriod().toNanos();
	}

	private boolean queueEmpty(int port) {
		OptionalLong queued = this.acceptQueue.queuedConnections(port);
		return queued.isEmpty() || queued.getAsLong() == 0;
	}

	private boolean waitUntil(BooleanSupplier condition, long deadline) throws InterruptedException {
		while (!condition.getAsBoolean()) {
			if (this.nanoClock.getAsLong() - deadline >= 0) {
				return false;
			}
			this.sleeper.sleep(POLL_INTERVAL);
		}
		return true;
	}

	private String timeoutCause(DrainReport report, boolean notReadySeen) {
		long now = this.nanoClock.getAsLong();
		long lastStart = this.activity.lastStartWhileDrainingNanos();
		boolean stillArriving = lastStart != Long.MIN_VALUE
				&& now - lastStart < Math.max(this.settings.quietPeriod().toNanos(), POLL_INTERVAL.toNanos() * 10);
		if (stillArriving) {
			return "requests kept arriving (" + report.requestsDuringDrain() + " started during the drain, the last "
					+ Durations.format(Duration.ofNanos(now - lastStart)) + " ago)"
					+ (report.watched() && notReadySeen
							? "; check that the load balancer takes the instance out when readiness fails"
							: report.watched() ? "; no readiness probe saw 'not ready', check that the probe path is "
									+ "recycling.drain.readiness-path"
									: "; nobody probes readiness, so nothing told the clients to stop");
		}
		if (this.activity.inFlight() > 0) {
			return this.activity.inFlight() + " requests still in flight; raise the timeout or check what keeps "
					+ "requests open";
		}
		return "the accept queue did not empty";
	}

	private void log(DrainReport report, boolean notReadySeen) {
		if (report.timedOut()) {
			logger.warn("Drain timed out after {} (recycling.drain.timeout={}): {}",
					Durations.format(report.total()), Durations.format(this.settings.timeout()),
					timeoutCause(report, notReadySeen));
		}
		else if (report.watched()) {
			logger.info("Drained in {} ms: {} {} ms, traffic quiet after {} ms more, in-flight requests and accept "
					+ "queue empty after {} ms more; {} requests served meanwhile", report.total().toMillis(),
					notReadySeen ? "readiness probe saw 'not ready' after" : "no readiness probe came to see 'not ready' in",
					report.waitedForNotReady().toMillis(), report.waitedForQuiet().toMillis(),
					report.waitedForInFlight().toMillis(), report.requestsDuringDrain());
		}
		else {
			logger.info("Drained in {} ms: no regular readiness probe in the last {}, so no wait for a load balancer; "
					+ "in-flight requests and accept queue empty", report.total().toMillis(),
					Durations.format(this.settings.probeWindow()));
		}
	}

	/**
	 * The settings of a drain.
	 *
	 * @param quietPeriod how long no application request may start before traffic counts
	 * as stopped
	 * @param timeout the longest drain
	 * @param probeWindow a readiness probe answered within it means someone watches
	 */
	public record DrainSettings(Duration quietPeriod, Duration timeout, Duration probeWindow) {

	}

	/**
	 * Waits between polls.
	 */
	@FunctionalInterface
	public interface Sleeper {

		/**
		 * Wait.
		 * @param duration how long
		 * @throws InterruptedException if interrupted
		 */
		void sleep(Duration duration) throws InterruptedException;

	}

}
