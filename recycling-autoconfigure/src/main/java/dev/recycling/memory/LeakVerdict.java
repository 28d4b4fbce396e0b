package dev.recycling.memory;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

import org.jspecify.annotations.Nullable;

/**
 * Whether a generation looks like it leaked, and why, from the memory samples taken while
 * it served.
 * <p>
 * A generation is suspected of leaking when a figure grows steadily with the requests it
 * serves: a straight line through the samples fits well (R² at least
 * {@value #MIN_FIT}, over at least {@value #MIN_POINTS} samples) and the growth it gives
 * over the generation is large:
 * <ul>
 * <li>heap after GC: at least 16 MB and at least 10% of the heap after GC at warm-up. Only
 * samples taken after a new collection count, since the figure changes only then;</li>
 * <li>live threads: at least 20 and at least 25%;</li>
 * <li>open file descriptors: at least 50 and at least 25%;</li>
 * <li>loaded classes: at least 2 000 and at least 10%.</li>
 * </ul>
 * A pool that grows to its size under load and stays there is a step, not a line, and does
 * not fit well.
 *
 * @param leakSuspected whether the generation looks like it leaked
 * @param evidence the findings behind the suspicion, in plain words; empty when none
 * @param summary one line: the verdict and what it rests on
 * @param heapSamples samples of the heap after GC the verdict had, each after a new
 * collection
 * @param heapGrowthPerThousandRequests bytes of heap after GC gained per 1 000 requests by
 * the fitted line, or {@code null} with fewer than {@value #MIN_POINTS} samples
 * @param heapFit R² of the line through the heap samples, or {@code null} with fewer than
 * {@value #MIN_POINTS} samples
 * @param topGrowthByBytes with the class histogram on, the classes whose live instances
 * grew most in bytes
 * @param topApplicationGrowthByInstances with the class histogram on, the non-JDK classes
 * that gained the most live instances; the class that holds a leak is usually first
 * @author recycling team
 */
public record LeakVerdict(boolean leakSuspected, List<String> evidence, String summary, int heapSamples,
		@Nullable Double heapGrowthPerThousandRequests, @Nullable Double heapFit, List<ClassGrowth> topGrowthByBytes,
		List<ClassGrowth> topApplicationGrowthByInstances) {

	static final int MIN_POINTS = 3;

	static final double MIN_FIT = 0.8;

	private static final long MEGABYTE = 1024 * 1024;

	static final int TOP_CLASSES = 10;

	/**
	 * Judge a generation.
	 * @param samples its snapshots in order of time, from warm-up to its end
	 * @param atWarmUp the class histogram at warm-up, or {@code null}
	 * @param atEnd the class histogram at its end, or {@code null}
	 * @return the verdict
	 */
	public static LeakVerdict judge(List<MemorySnapshot> samples, @Nullable ClassHistogram atWarmUp,
			@Nullable ClassHistogram atEnd) {
		List<String> evidence = new ArrayList<>();
		List<MemorySnapshot> afterCollections = afterNewCollections(samples);
		Trend heap = Trend.fit(afterCollections, MemorySnapshot::heapAfterGcBytes);
		boolean heapJudged = heap.points() >= MIN_POINTS && heap.span() > 0;
		if (heapJudged && grewSteadily(heap, afterCollections.get(0).heapAfterGcBytes(), 16 * MEGABYTE, 0.10)) {
			evidence.add(String.format(Locale.ROOT,
					"heap after GC grew %s over %d requests (%s per 1 000 requests, fit R² %.2f over %d samples)",
					megabytes(heap.growth()), heap.span(), megabytes(heap.slope() * 1000), heap.rSquared(),
					heap.points()));
		}
		judgeCount(samples, "threads", MemorySnapshot::liveThreads, 20, 0.25, evidence);
		List<MemorySnapshot> withDescriptors = samples.stream()
			.filter((sample) -> sample.openFileDescriptors() >= 0)
			.toList();
		judgeCount(withDescriptors, "file descriptors", MemorySnapshot::openFileDescriptors, 50, 0.25,
				evidence);
		judgeCount(samples, "loaded classes", MemorySnapshot::loadedClasses, 2000, 0.10, evidence);
		List<ClassGrowth> byBytes = List.of();
		List<ClassGrowth> byInstances = List.of();
		if (atWarmUp != null && atEnd != null) {
			byBytes = atEnd.growthSince(atWarmUp, TOP_CLASSES, false, ClassGrowth::bytes);
			byInstances = atEnd.growthSince(atWarmUp, TOP_CLASSES, true, ClassGrowth::instances);
		}
		boolean suspected = !evidence.isEmpty();
		String topGrowth = describeTopGrowth(byBytes, byInstances);
		if (suspected && topGrowth != null) {
			evidence.add(topGrowth);
		}
		String summary = suspected ? "leak suspected: " + String.join("; ", evidence)
				: noLeakSummary(heap, heapJudged, topGrowth);
		return new LeakVerdict(suspected, List.copyOf(evidence), summary, heap.points(),
				heapJudged ? heap.slope() * 1000 : null, heapJudged ? heap.rSquared() : null, byBytes, byInstances);
	}

	// the heap after GC changes only with a collection: a sample without one repeats the last
	private static List<MemorySnapshot> afterNewCollections(List<MemorySnapshot> samples) {
		List<MemorySnapshot> fresh = new ArrayList<>();
		for (MemorySnapshot sample : samples) {
			if (fresh.isEmpty() || sample.collections() != fresh.get(fresh.size() - 1).collections()) {
				fresh.add(sample);
			}
		}
		return fresh;
	}

	private static boolean grewSteadily(Trend trend, double first, double minimum, double fraction) {
		return trend.rSquared() >= MIN_FIT && trend.growth() >= Math.max(minimum, fraction * first);
	}

	private static void judgeCount(List<MemorySnapshot> samples, String what, ToDoubleFunction<MemorySnapshot> figure,
			long minimum, double fraction, List<String> evidence) {
		Trend trend = Trend.fit(samples, figure);
		if (trend.points() < MIN_POINTS || trend.span() <= 0) {
			return;
		}
		long first = (long) figure.applyAsDouble(samples.get(0));
		long last = (long) figure.applyAsDouble(samples.get(samples.size() - 1));
		if (grewSteadily(trend, first, minimum, fraction)) {
			evidence.add(String.format(Locale.ROOT, "%s grew %d -> %d over %d requests (fit R² %.2f over %d samples)",
					what, first, last, trend.span(), trend.rSquared(), trend.points()));
		}
	}

	private static String noLeakSummary(Trend heap, boolean heapJudged, @Nullable String topGrowth) {
		String summary = heapJudged
				? String.format(Locale.ROOT, "no leak suspected (heap after GC %s per 1 000 requests, fit R² %.2f over %d samples)",
						megabytes(heap.slope() * 1000), heap.rSquared(), heap.points())
				: String.format(Locale.ROOT,
						"no leak suspected; too few samples to judge the heap (%d after a new collection, %d needed)",
						heap.points(), MIN_POINTS);
		return (topGrowth != null) ? summary + "; " + topGrowth : summary;
	}

	// "top growth: byte[] +150 MB, com.example.LeakyCache$Entry +48 000": the class that
	// grew most in bytes, then the application class that gained most instances
	static @Nullable String describeTopGrowth(List<ClassGrowth> byBytes, List<ClassGrowth> byInstances) {
		List<String> parts = new ArrayList<>();
		String first = null;
		if (!byBytes.isEmpty()) {
			first = byBytes.get(0).className();
			parts.add(first + " " + megabytes(byBytes.get(0).bytes()));
		}
		if (!byInstances.isEmpty() && !byInstances.get(0).className().equals(first)) {
			parts.add(byInstances.get(0).className() + " "
					+ String.format(Locale.ROOT, "%+,d", byInstances.get(0).instances()).replace(',', ' '));
		}
		return parts.isEmpty() ? null : "top growth: " + String.join(", ", parts);
	}

	static String megabytes(double bytes) {
		double megabytes = bytes / MEGABYTE;
		return (Math.abs(megabytes) >= 10) ? String.format(Locale.ROOT, "%+.0f MB", megabytes)
				: String.format(Locale.ROOT, "%+.1f MB", megabytes);
	}

}
