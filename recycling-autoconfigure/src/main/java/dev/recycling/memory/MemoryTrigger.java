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
	}

	/**
	 * Create the trigger of this JVM for the thresholds that are set.
	 * @param heapAfterGcThreshold percent of the maximum heap, or {@code null} for none
	 * @param rssThreshold resident set size, or {@code null} for none
	 * @param triggers the generation's triggers
	 * @return the trigger, or {@code null} when no threshold is set
	 */
	public static @Nullable MemoryTrigger forThisJvm(@Nullable Double heapAfterGcThreshold,
			@Nullable DataSize rssThreshold, RecycleTriggers triggers) {
		if (heapAfterGcThreshold == null && rssThreshold == null) {
			return null;
		}
		JvmMemoryProbe probe = new JvmMemoryProbe();
		if (rssThreshold != null && !probe.residentSetKnown()) {
			logger.warn("recycling.memory.rss-threshold is set but the resident set size cannot be read here (only "
					+ "Linux has /proc/self/status): the RSS trigger stays off");
		}
		return new MemoryTrigger(probe, heapAfterGcThreshold, rssThreshold, triggers);
	}

	/**
	 * Compare memory with the thresholds and recycle when one is passed.
	 * @return the reason of the recycle it asked for, or {@code null}
	 */
	public @Nullable String check() {
		Double heapThreshold = this.heapAfterGcThreshold;
		if (heapThreshold != null) {
			double heap = this.probe.heapAfterGcPercent();
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

}
