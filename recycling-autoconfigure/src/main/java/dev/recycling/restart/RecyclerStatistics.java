package dev.recycling.restart;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts of the whole JVM, across every generation: what metrics read, so that a counter
 * does not start again from zero with each new context.
 * <p>
 * It holds only numbers, never an object of a generation.
 *
 * @author recycling team
 */
public final class RecyclerStatistics {

	private final LongAdder requestsOfEndedGenerations = new LongAdder();

	private final ConcurrentMap<String, LongAdder> recyclesByReason = new ConcurrentHashMap<>();

	private final DurationTotals restarts = new DurationTotals();

	private final DurationTotals drains = new DurationTotals();

	private final DurationTotals overlaps = new DurationTotals();

	private final LongAdder startFailures = new LongAdder();

	// callers hold this object's lock
	long requestsServed(long ofLiveGenerations) {
		return this.requestsOfEndedGenerations.sum() + ofLiveGenerations;
	}

	void startFailed() {
		this.startFailures.increment();
	}

	/**
	 * Return how many next generations failed to start while the current one kept serving.
	 * @return the failed starts
	 */
	public long startFailures() {
		return this.startFailures.sum();
	}

	void generationEnded(long requestsServed) {
		this.requestsOfEndedGenerations.add(requestsServed);
	}

	void recycleStarted(String reason) {
		this.recyclesByReason.computeIfAbsent(reason, (key) -> new LongAdder()).increment();
	}

	void restartCompleted(Duration duration) {
		this.restarts.record(duration);
	}

	void overlapCompleted(Duration duration) {
		this.overlaps.record(duration);
	}

	/**
	 * Record how long a generation's drain took, from the start of its close until it
	 * stopped taking connections and served the accepted ones.
	 * @param duration the drain's duration
	 */
	public void drainCompleted(Duration duration) {
		this.drains.record(duration);
	}

	/**
	 * Return the number of recycles started in this JVM for a reason.
	 * @param reason the reason
	 * @return the count
	 */
	public long recycles(String reason) {
		LongAdder count = this.recyclesByReason.get(reason);
		return (count != null) ? count.sum() : 0;
	}

	/**
	 * Return the number of recycles started in this JVM by reason.
	 * @return the counts, sorted by reason
	 */
	public Map<String, Long> recyclesByReason() {
		Map<String, Long> counts = new TreeMap<>();
		this.recyclesByReason.forEach((reason, count) -> counts.put(reason, count.sum()));
		return counts;
	}

	/**
	 * Return the reasons recycles have had in this JVM.
	 * @return the reasons
	 */
	public Set<String> reasons() {
		return Set.copyOf(this.recyclesByReason.keySet());
	}

	/**
	 * Return the restarts: from a recycle's decision until the next generation was ready.
	 * @return the restart durations
	 */
	public DurationTotals restarts() {
		return this.restarts;
	}

	/**
	 * Return the overlaps: for each overlapped recycle, from its decision until the
	 * previous generation had closed.
	 * @return the overlap durations
	 */
	public DurationTotals overlaps() {
		return this.overlaps;
	}

	/**
	 * Return the drains of closing generations.
	 * @return the drain durations
	 */
	public DurationTotals drains() {
		return this.drains;
	}

	/**
	 * A count of timed events and their total time.
	 */
	public static final class DurationTotals {

		private final LongAdder count = new LongAdder();

		private final LongAdder totalNanos = new LongAdder();

		void record(Duration duration) {
			this.count.increment();
			this.totalNanos.add(Math.max(0, duration.toNanos()));
		}

		/**
		 * Return the number of events.
		 * @return the count
		 */
		public long count() {
			return this.count.sum();
		}

		/**
		 * Return the total time of the events, in nanoseconds.
		 * @return the total
		 */
		public double totalNanos() {
			return this.totalNanos.sum();
		}

	}

}
