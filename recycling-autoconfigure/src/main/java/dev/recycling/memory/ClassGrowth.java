package dev.recycling.memory;

/**
 * How much one class grew between two class histograms.
 *
 * @param className the class, in source form ({@code byte[]},
 * {@code com.example.LeakyCache$Entry})
 * @param jdkClass whether the class belongs to a JDK module ({@code java.*} or
 * {@code jdk.*}), such as {@code byte[]} or {@code java.lang.String}
 * @param instances change in live instances
 * @param bytes change in the shallow size of its live instances
 * @author recycling team
 */
public record ClassGrowth(String className, boolean jdkClass, long instances, long bytes) {

}
