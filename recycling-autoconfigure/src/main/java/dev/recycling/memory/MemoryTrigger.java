package dev.recycling.memory;

import dev.recycling.trigger.RecycleTriggers;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.util.unit.DataSize;

/**
 * Recycles a generation whose heap after GC or resident set size passed its threshold.
 * Checked off the request path, every few seconds; {@code min-lifetime} holds it back like
 * every automatic trigger.
 * <p>
 * Heap after GC counts only the pools collected since the generation started: a pool's
 * figure from before still holds the previous generation's garbage (G1 updates its old
 * generation's only at mixed and full collections), and would recycle a new generation at
 * once. For the same reason a generation started by a recycle begins with one full
 * collection when this trigger is on: the closed generation is garbage by then, and the
 * figures the trigger compares start from what this generation holds. A generation that
 * overlapped with the previous one does so once that one has closed.
 *
 * @author recycling team
 */
public final class MemoryTrigger {

	/**
	 * Reason of a recycle triggered by the heap still used after GC.
	 */
	public static final String HEAP_AFTER_GC = "heap-after-gc";

	/**
	 * Reason of a recycle triggered by the resident set size.
	 */
	public static final String RSS = "rss";

	private static final Logger logger = LoggerFactory.getLogger(MemoryTrigger.class);

	private final MemoryProbe probe;

	private final @Nullable Double heapAfterGcThreshold;

	private final @Nullable DataSize rssThreshold;

	private final RecycleTriggers triggers;

	private volatile long @Nullable [] heapAtStart;

	/**
	 * Create a trigger.
	 * @param probe reads memory
	 * @param heapAfterGcThreshold percent of the maximum heap, or {@code null} for none
	 * @param rssThreshold resident set size, or {@code null} for none
	 * @param triggers the generation's triggers, which fire the recycle
	 */
	public MemoryTrigger(MemoryProbe probe, @Nullable Double heapAfterGcThreshold, @Nullable DataSize rssThreshold,
			RecycleTriggers triggers) {
		this.probe = probe;
		this.heapAfterGcThreshold = heapAfterGcThreshold;
		this.rssThreshold = rssThreshold;
		this.triggers = triggers;
		this.heapAtStart = probe.heapAfterGcByPool();
	}

	/**
	 * Create the trigger of this JVM for the thresholds that are set.
	 * @param heapAfterGcThreshold percent of the maximum heap, or {@code null} for none
	 * @param rssThreshold resident set size, or {@code null} for none
	 * @param triggers the generation's triggers
	 * @param afterRecycle whether a sequential recycle started this generation, so that the
	 * heap still holds the closed one
	 * @return the trigger, or {@code null} when no threshold is set
	 */
	public static @Nullable MemoryTrigger forThisJvm(@Nullable Double heapAfterGcThreshold,
			@Nullable DataSize rssThreshold, RecycleTriggers triggers, boolean afterRecycle) {
		if (heapAfterGcThreshold == null && rssThreshold == null) {
			return null;
		}
		if (heapAfterGcThreshold != null && afterRecycle) {
			collect();
		}
		JvmMemoryProbe probe = new JvmMemoryProbe();
		if (rssThreshold != null && !probe.residentSetKnown()) {
			logger.warn("recycling.memory.rss-threshold is set but the resident set size cannot be read here (only "
					+ "Linux has /proc/self/status): the RSS trigger stays off");
		}
		return new MemoryTrigger(probe, heapAfterGcThreshold, rssThreshold, triggers);
	}

	/**
	 * Start again from one full collection: called once the generation this one overlapped
	 * with has closed, since until then the heap held both.
	 */
	public void startFromFullCollection() {
		if (this.heapAfterGcThreshold != null) {
			collect();
			this.heapAtStart = this.probe.heapAfterGcByPool();
		}
	}

	private static void collect() {
		long start = System.nanoTime();
		System.gc();
		logger.debug("Collected the closed generation in {} ms, so that heap after GC starts from this one",
				(System.nanoTime() - start) / 1_000_000);
	}

	/**
	 * Compare memory with the thresholds and recycle when one is passed.
	 * @return the reason of the recycle it asked for, or {@code null}
	 */
	public @Nullable String check() {
		Double heapThreshold = this.heapAfterGcThreshold;
		if (heapThreshold != null) {
			double heap = heapAfterGcPercentOfThisGeneration();
			if (!Double.isNaN(heap) && heap >= heapThreshold && this.triggers.fire(HEAP_AFTER_GC, true)) {
				logger.info("Heap after GC is {}% of the maximum heap, at or above recycling.memory."
						+ "heap-after-gc-threshold ({}%): recycling", Math.round(heap), heapThreshold);
				return HEAP_AFTER_GC;
			}
		}
		DataSize rssThreshold = this.rssThreshold;
		if (rssThreshold != null) {
			long rss = this.probe.residentSetBytes();
			if (rss >= 0 && rss >= rssThreshold.toBytes() && this.triggers.fire(RSS, true)) {
				logger.info("Resident set size is {} MB, at or above recycling.memory.rss-threshold ({} MB): "
						+ "recycling", rss / (1024 * 1024), rssThreshold.toMegabytes());
				return RSS;
			}
		}
		return null;
	}

	private double heapAfterGcPercentOfThisGeneration() {
		long[] start = this.heapAtStart;
		long[] now = this.probe.heapAfterGcByPool();
		if (start == null || now == null || start.length != now.length) {
			return this.probe.heapAfterGcPercent();
		}
		long used = 0;
		boolean collected = false;
		for (int i = 0; i < now.length; i++) {
			if (now[i] >= 0 && now[i] != start[i]) {
				used += now[i];
				collected = true;
			}
		}
		long max = this.probe.maxHeapBytes();
		return (collected && max > 0 && max != Long.MAX_VALUE) ? 100.0 * used / max : Double.NaN;
	}

}
