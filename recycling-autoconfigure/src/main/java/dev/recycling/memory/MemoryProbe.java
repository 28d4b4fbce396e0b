package dev.recycling.memory;

import org.jspecify.annotations.Nullable;

/**
 * Reads the memory figures the memory triggers compare with their thresholds.
 *
 * @author recycling team
 */
public interface MemoryProbe {

	/**
	 * Return the heap still used after the last collection of each heap pool, in percent of
	 * the maximum heap.
	 * @return the percentage, or {@code NaN} when the JVM does not say
	 */
	double heapAfterGcPercent();

	/**
	 * Return the heap still used after the last collection of each heap pool, in bytes, one
	 * figure per pool in a fixed order. A pool's figure changes only when the pool is
	 * collected, so comparing two readings tells which pools were collected in between.
	 * @return the figures, or {@code null} when the JVM does not say
	 */
	default long @Nullable [] heapAfterGcByPool() {
		return null;
	}

	/**
	 * Return the maximum heap.
	 * @return the maximum in bytes
	 */
	default long maxHeapBytes() {
		return Runtime.getRuntime().maxMemory();
	}

	/**
	 * Return the resident set size of this process.
	 * @return the size in bytes, or -1 where it cannot be read (not Linux)
	 */
	long residentSetBytes();

}
