package dev.recycling.restart;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;

import dev.recycling.memory.JvmMemoryProbe;
import org.jspecify.annotations.Nullable;

/**
 * Decides whether a recycle may overlap: two generations alive at once need heap for both,
 * and MBean names that exist once per JVM rule it out.
 *
 * @author recycling team
 */
final class OverlapCheck {

	private OverlapCheck() {
	}

	/**
	 * Return why a generation with these settings cannot overlap with the next one now.
	 * @param settings the generation's settings
	 * @return the reason, for the log and the record, or {@code null} if it can overlap
	 */
	static @Nullable String whyNot(Generation.Settings settings) {
		if (settings.jmx()) {
			return "JMX is on (spring.jmx.enabled=true) and MBean names exist once per JVM";
		}
		double heap = heapAfterGcPercent();
		if (heap > settings.overlapHeapThreshold()) {
			return String.format("the heap still used after GC is %.0f%% of the maximum heap, above "
					+ "recycling.restart.overlap-heap-threshold (%s%%): two generations might not fit", heap,
					trim(settings.overlapHeapThreshold()));
		}
		return null;
	}

	private static String trim(double percent) {
		return (percent == Math.rint(percent)) ? String.valueOf((long) percent) : String.valueOf(percent);
	}

	// before the first collection, what the heap holds now (an upper bound)
	private static double heapAfterGcPercent() {
		double afterGc = new JvmMemoryProbe().heapAfterGcPercent();
		if (!Double.isNaN(afterGc) && afterGc > 0) {
			return afterGc;
		}
		MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
		return (heap.getMax() > 0) ? 100.0 * heap.getUsed() / heap.getMax() : 0;
	}

}
