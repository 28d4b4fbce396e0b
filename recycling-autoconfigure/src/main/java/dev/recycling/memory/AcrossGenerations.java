package dev.recycling.memory;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

import org.jspecify.annotations.Nullable;

/**
 * What survives recycles: each generation's baseline (its leanest memory sample right after
 * a collection of the whole heap, see {@link MemoryRecorder#leanest()}) compared across the
 * last generations of the JVM.
 * <p>
 * A leak inside a generation is freed when the generation closes; one in static state, a
 * class loader that stays reachable or native memory is not, and shows as baselines that
 * rise from one generation to the next. Recycling hides that kind unless it is looked for
 * across generations. Over the last {@value #WINDOW} generations (at least
 * {@value #MIN_GENERATIONS}), a figure is suspected when a straight line through its
 * baselines fits well (R² at least {@value #MIN_FIT}) and rises by enough:
 * <ul>
 * <li>heap after GC: at least 8 MB over the window and at least 10% of the first baseline;</li>
 * <li>live threads: at least 5; open file descriptors: at least 10;</li>
 * <li>loaded classes: at least 20 a generation (the JDK's own classes loaded once, such as
 * Java 17's reflection accessors, add fewer and level off).</li>
 * </ul>
 * Metaspace and RSS are shown in the summary but not judged: metaspace follows the loaded
 * classes, and RSS also grows with the heap's own expansion and the JIT's code.
 * <p>
 * It holds numbers only, never an object of a generation.
 *
 * @author recycling team
 */
public final class AcrossGenerations {

	static final int WINDOW = 20;

	static final int MIN_GENERATIONS = 5;

	static final double MIN_FIT = 0.8;

	private static final long MEGABYTE = 1024 * 1024;

	private static final String ADVICE = "a context restart cannot free it (static state, class loaders, native "
			+ "memory); find it with recycling.memory.class-histogram, or use recycling.mode: exit";

	private final Deque<Baseline> baselines = new ArrayDeque<>();

	private @Nullable Verdict verdict;

	// the first class histogram seen, to say which classes grew since (one string of ~1 MB)
	private @Nullable ClassHistogram firstHistogram;

	private int firstHistogramGeneration;

	/**
	 * Add the baseline of a generation that ended, and judge again.
	 * @param generation the generation's number
	 * @param leanest its leanest memory sample
	 * @return the verdict over the generations seen so far
	 */
	public synchronized Verdict add(int generation, MemorySnapshot leanest) {
		return add(generation, leanest, null);
	}

	/**
	 * Add the baseline of a generation that ended, with the class histogram taken as it
	 * ended, and judge again; when something survives recycles, the classes that grew most
	 * since the first histogram are part of the evidence.
	 * @param generation the generation's number
	 * @param leanest its leanest memory sample
	 * @param histogramAtEnd its class histogram as it ended, or {@code null}
	 * @return the verdict over the generations seen so far
	 */
	public synchronized Verdict add(int generation, MemorySnapshot leanest, @Nullable ClassHistogram histogramAtEnd) {
		this.baselines.addLast(new Baseline(generation, leanest.heapAfterGcBytes(), leanest.liveThreads(),
				leanest.openFileDescriptors(), leanest.loadedClasses(), leanest.metaspaceBytes(), leanest.rssBytes()));
		while (this.baselines.size() > WINDOW) {
			this.baselines.removeFirst();
		}
		Verdict verdict = judge(List.copyOf(this.baselines));
		ClassHistogram first = this.firstHistogram;
		if (histogramAtEnd != null && first == null) {
			this.firstHistogram = histogramAtEnd;
			this.firstHistogramGeneration = generation;
		}
		else if (histogramAtEnd != null && verdict.suspected()) {
			verdict = verdict.withClassGrowth(this.firstHistogramGeneration,
					histogramAtEnd.growthSince(first, LeakVerdict.TOP_CLASSES, false, ClassGrowth::bytes),
					histogramAtEnd.growthSince(first, LeakVerdict.TOP_CLASSES, true, ClassGrowth::instances));
		}
		this.verdict = verdict;
		return verdict;
	}

	/**
	 * Return the last verdict.
	 * @return the verdict, or {@code null} before the first generation with a baseline ended
	 */
	public synchronized @Nullable Verdict verdict() {
		return this.verdict;
	}

	/**
	 * Return the baselines of the last generations, oldest first.
	 * @return the baselines
	 */
	public synchronized List<Baseline> baselines() {
		return List.copyOf(this.baselines);
	}

	static Verdict judge(List<Baseline> baselines) {
		int n = baselines.size();
		if (n < MIN_GENERATIONS) {
			return new Verdict(false, n, null, null, List.of(), String.format(Locale.ROOT,
					"not judged across generations yet (%d of %d generations with a baseline)", n, MIN_GENERATIONS));
		}
		List<String> evidence = new ArrayList<>();
		Trend heap = Trend.fit(baselines, Baseline::generation, Baseline::heapAfterGcBytes);
		double firstHeap = baselines.get(0).heapAfterGcBytes();
		if (heap.rSquared() >= MIN_FIT && heap.growth() >= Math.max(8 * MEGABYTE, 0.10 * firstHeap)) {
			evidence.add(String.format(Locale.ROOT,
					"heap after GC at each generation's leanest grows %s per generation (%s over the last %d "
							+ "generations, fit R² %.2f)",
					LeakVerdict.megabytes(heap.slope()), LeakVerdict.megabytes(heap.growth()), n, heap.rSquared()));
		}
		judgeCount(baselines, "live threads", Baseline::liveThreads, 5, evidence);
		List<Baseline> withDescriptors = baselines.stream()
			.filter((baseline) -> baseline.openFileDescriptors() >= 0)
			.toList();
		judgeCount(withDescriptors, "open file descriptors", Baseline::openFileDescriptors, 10, evidence);
		judgeCount(baselines, "loaded classes", Baseline::loadedClasses, 20L * (n - 1), evidence);
		boolean suspected = !evidence.isEmpty();
		String summary = suspected
				? "memory survives recycles: " + String.join("; ", evidence) + "; " + ADVICE
				: String.format(Locale.ROOT,
						"nothing survives recycles (heap after GC at each generation's leanest %s per generation over "
								+ "the last %d generations; not judged: metaspace %s, RSS %s per generation)",
						LeakVerdict.megabytes(heap.slope()), n, LeakVerdict.megabytes(slope(baselines,
								Baseline::metaspaceBytes)),
						rssSlope(baselines));
		return new Verdict(suspected, n, heap.slope(), heap.rSquared(), List.copyOf(evidence), summary);
	}

	private static double slope(List<Baseline> baselines, ToDoubleFunction<Baseline> figure) {
		return Trend.fit(baselines, Baseline::generation, figure).slope();
	}

	// RSS grows with the heap's own expansion and the JIT's code, so it is shown, not judged
	private static String rssSlope(List<Baseline> baselines) {
		List<Baseline> withRss = baselines.stream().filter((baseline) -> baseline.rssBytes() >= 0).toList();
		return (withRss.size() < 2) ? "unknown" : LeakVerdict.megabytes(slope(withRss, Baseline::rssBytes));
	}

	private static void judgeCount(List<Baseline> baselines, String what, ToDoubleFunction<Baseline> figure,
			long minimum, List<String> evidence) {
		if (baselines.size() < MIN_GENERATIONS) {
			return;
		}
		Trend trend = Trend.fit(baselines, Baseline::generation, figure);
		long first = (long) figure.applyAsDouble(baselines.get(0));
		long last = (long) figure.applyAsDouble(baselines.get(baselines.size() - 1));
		if (trend.rSquared() >= MIN_FIT && trend.growth() >= minimum) {
			evidence.add(String.format(Locale.ROOT, "%s grow %d -> %d over the last %d generations (fit R² %.2f)", what,
					first, last, baselines.size(), trend.rSquared()));
		}
	}

	/**
	 * One generation's baseline: its leanest memory sample.
	 *
	 * @param generation the generation's number
	 * @param heapAfterGcBytes heap after GC
	 * @param liveThreads live threads
	 * @param openFileDescriptors open file descriptors, or -1
	 * @param loadedClasses loaded classes
	 * @param metaspaceBytes metaspace used
	 * @param rssBytes resident set size, or -1
	 */
	public record Baseline(int generation, long heapAfterGcBytes, int liveThreads, long openFileDescriptors,
			int loadedClasses, long metaspaceBytes, long rssBytes) {

	}

	/**
	 * Whether memory survives recycles.
	 *
	 * @param suspected whether a figure rises steadily from one generation to the next
	 * @param generations the generations judged
	 * @param heapGrowthPerGeneration bytes of heap after GC gained per generation by the
	 * fitted line, or {@code null} before enough generations
	 * @param heapFit R² of that line, or {@code null} before enough generations
	 * @param evidence the findings, in plain words; empty when none
	 * @param summary one line: the verdict, what it rests on and what to do
	 * @param topGrowthByBytes with the class histogram on and something suspected, the
	 * classes whose live instances grew most in bytes since the first histogram
	 * @param topApplicationGrowthByInstances the same for the non-JDK classes, by instances
	 */
	public record Verdict(boolean suspected, int generations, @Nullable Double heapGrowthPerGeneration,
			@Nullable Double heapFit, List<String> evidence, String summary, List<ClassGrowth> topGrowthByBytes,
			List<ClassGrowth> topApplicationGrowthByInstances) {

		Verdict(boolean suspected, int generations, @Nullable Double heapGrowthPerGeneration, @Nullable Double heapFit,
				List<String> evidence, String summary) {
			this(suspected, generations, heapGrowthPerGeneration, heapFit, evidence, summary, List.of(), List.of());
		}

		// the classes that grew since a generation, in the evidence and before the advice
		Verdict withClassGrowth(int since, List<ClassGrowth> byBytes, List<ClassGrowth> byInstances) {
			String growth = LeakVerdict.describeTopGrowth(byBytes, byInstances);
			if (growth == null) {
				return this;
			}
			String described = growth.replaceFirst("^top growth", "top growth since generation " + since);
			List<String> evidence = new ArrayList<>(this.evidence);
			evidence.add(described);
			String summary = this.summary.replace("; " + ADVICE, "; " + described + "; " + ADVICE);
			return new Verdict(this.suspected, this.generations, this.heapGrowthPerGeneration, this.heapFit,
					List.copyOf(evidence), summary, byBytes, byInstances);
		}

	}

}
