package dev.recycling.memory;

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
	 * Return the resident set size of this process.
	 * @return the size in bytes, or -1 where it cannot be read (not Linux)
	 */
	long residentSetBytes();

}
