package dev.recycling.drain;

import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * What the drain gate needs to know about traffic, recorded by the request filter:
 * application requests in flight, when the last one started during the drain, and when a
 * readiness probe was last answered, ready or not.
 * <p>
 * Outside a drain the request path costs two uncontended adder updates and a volatile read.
 *
 * @author recycling team
 */
public final class RequestActivity {

	private static final long NEVER = Long.MIN_VALUE;

	private static final int RECENT_PROBES = 4;

	private final LongAdder inFlight = new LongAdder();

	private final LongAdder startedWhileDraining = new LongAdder();

	private final LongSupplier nanoClock;

	private volatile boolean draining;

	private volatile boolean closingConnections;

	private volatile long lastStartWhileDrainingNanos = NEVER;

	private volatile long lastStartWhileClosingNanos = NEVER;

	private volatile long lastProbeNanos = NEVER;

	private volatile long lastNotReadyNanos = NEVER;

	// the times of the last probes, oldest first: a watcher probes regularly, a one-off check does not
	private final long[] recentProbes = new long[RECENT_PROBES];

	private int probesSeen;

	/**
	 * Create an activity record.
	 * @param nanoClock the monotonic clock, {@code System::nanoTime} outside tests
	 */
	public RequestActivity(LongSupplier nanoClock) {
		this.nanoClock = nanoClock;
	}

	/**
	 * An application request starts.
	 */
	public void applicationRequestStarted() {
		this.inFlight.increment();
		if (this.draining) {
			this.startedWhileDraining.increment();
			long now = this.nanoClock.getAsLong();
			this.lastStartWhileDrainingNanos = now;
			if (this.closingConnections) {
				this.lastStartWhileClosingNanos = now;
			}
		}
	}

	/**
	 * An application request ends, however it ends.
	 */
	public void applicationRequestFinished() {
		this.inFlight.decrement();
	}

	/**
	 * A readiness probe was answered.
	 * @param status the HTTP status of the answer
	 */
	public void readinessProbeAnswered(int status) {
		long now = this.nanoClock.getAsLong();
		synchronized (this.recentProbes) {
			System.arraycopy(this.recentProbes, 1, this.recentProbes, 0, RECENT_PROBES - 1);
			this.recentProbes[RECENT_PROBES - 1] = now;
			this.probesSeen = Math.min(this.probesSeen + 1, RECENT_PROBES);
		}
		this.lastProbeNanos = now;
		if (status != 200) {
			this.lastNotReadyNanos = now;
		}
	}

	/**
	 * Return whether responses should close their connection (the generation is closing).
	 * @return whether to close connections
	 */
	public boolean isClosingConnections() {
		return this.closingConnections;
	}

	void startDraining() {
		this.draining = true;
	}

	void closeConnections() {
		this.draining = true;
		this.closingConnections = true;
	}

	boolean isDraining() {
		return this.draining;
	}

	long inFlight() {
		return this.inFlight.sum();
	}

	long startedWhileDraining() {
		return this.startedWhileDraining.sum();
	}

	long lastStartWhileClosingNanos() {
		return this.lastStartWhileClosingNanos;
	}

	long lastStartWhileDrainingNanos() {
		return this.lastStartWhileDrainingNanos;
	}

	/**
	 * Return the longest gap between the recent readiness probes: the period of whoever
	 * watches readiness.
	 * @return the gap in nanoseconds, or -1 if fewer than two probes were answered
	 */
	long probeIntervalNanos() {
		synchronized (this.recentProbes) {
			if (this.probesSeen < 2) {
				return -1;
			}
			long longest = 0;
			for (int i = RECENT_PROBES - this.probesSeen + 1; i < RECENT_PROBES; i++) {
				longest = Math.max(longest, this.recentProbes[i] - this.recentProbes[i - 1]);
			}
			return longest;
		}
	}

	boolean probeAnsweredSince(long nanos) {
		long last = this.lastProbeNanos;
		return last != NEVER && last - nanos >= 0;
	}

	boolean notReadyAnsweredSince(long nanos) {
		long last = this.lastNotReadyNanos;
		return last != NEVER && last - nanos >= 0;
	}

}
