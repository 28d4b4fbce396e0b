package dev.recycling.metrics;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.ToLongFunction;

import dev.recycling.memory.AcrossGenerations;
import dev.recycling.memory.LeakVerdict;
import dev.recycling.memory.MemorySnapshot;
import dev.recycling.memory.MemoryTrigger;
import dev.recycling.restart.GenerationRecord;
import dev.recycling.restart.Recycler;
import dev.recycling.restart.RecyclerStatistics;
import dev.recycling.restart.RecyclerStatistics.DurationTotals;
import dev.recycling.trigger.GenerationStats;
import dev.recycling.trigger.RecycleTriggers;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.jspecify.annotations.Nullable;

/**
 * Binds the recycling metrics. Every meter reads the {@link Recycler}, which outlives the
 * contexts: a counter goes on from where the last generation left it, and a registry that
 * outlives a generation keeps one series per meter, never one per generation.
 *
 * @author recycling team
 */
public final class RecyclingMetrics implements MeterBinder {

	/**
	 * Reasons registered from the start, so that their series exist before the first recycle.
	 */
	static final Set<String> KNOWN_REASONS = Set.of(RecycleTriggers.MAX_REQUESTS, RecycleTriggers.MAX_LIFETIME,
			MemoryTrigger.HEAP_AFTER_GC, MemoryTrigger.RSS, Recycler.MANUAL);

	private final Recycler recycler;

	/**
	 * Create the binder.
	 * @param recycler the recycler
	 */
	public RecyclingMetrics(Recycler recycler) {
		this.recycler = recycler;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		Recycler recycler = this.recycler;
		RecyclerStatistics statistics = recycler.getStatistics();
		FunctionCounter.builder("recycling.requests", recycler, Recycler::getRequestsServed)
			.description("Completed application requests, every generation of this JVM (not actuator or probes)")
			.baseUnit("requests")
			.register(registry);
		Set<String> reasons = new TreeSet<>(KNOWN_REASONS);
		reasons.addAll(statistics.reasons());
		for (String reason : reasons) {
			FunctionCounter.builder("recycling.restarts", statistics, (stats) -> stats.recycles(reason))
				.description("Recycles started in this JVM")
				.tag("reason", reason)
				.register(registry);
		}
		FunctionCounter.builder("recycling.start.failures", statistics, RecyclerStatistics::startFailures)
			.description("Next generations that failed to start while the current one kept serving")
			.register(registry);
		timer(registry, "recycling.restart.duration", statistics.restarts(),
				"From the recycle decision until the next generation was ready");
		timer(registry, "recycling.overlap.duration", statistics.overlaps(),
				"From the recycle decision until the previous generation had closed, for overlapped recycles: "
						+ "the time two generations ran side by side");
		timer(registry, "recycling.drain.duration", statistics.drains(),
				"From the start of a generation's close until it stopped taking connections and served the "
						+ "accepted ones");
		Gauge.builder("recycling.generation", recycler, Recycler::getGeneration)
			.description("Current generation, 1 for the context the JVM started with")
			.register(registry);
		Gauge.builder("recycling.generation.requests", recycler, RecyclingMetrics::currentGenerationRequests)
			.description("Completed application requests of the current generation")
			.baseUnit("requests")
			.register(registry);
		memory(registry, "recycling.memory.heap.after.gc", "Heap still used after GC",
				MemorySnapshot::heapAfterGcBytes);
		memory(registry, "recycling.memory.rss", "Resident set size (Linux)", MemorySnapshot::rssBytes);
		Gauge.builder("recycling.memory.leak.suspected", recycler, RecyclingMetrics::lastLeakSuspected)
			.description("1 if the last ended generation looks like it leaked, 0 if not, NaN before a verdict")
			.register(registry);
		Gauge.builder("recycling.memory.survivor.suspected", recycler, RecyclingMetrics::survivorSuspected)
			.description("1 if memory rises from one generation's baseline to the next (it survives recycles), "
					+ "0 if not, NaN before enough generations")
			.register(registry);
		Gauge.builder("recycling.memory.baseline.heap.growth", recycler, RecyclingMetrics::baselineGrowth)
			.description("Heap after GC gained per generation by the generations' baselines, NaN before enough "
					+ "generations")
			.baseUnit("bytes")
			.register(registry);
	}

	private static double currentGenerationRequests(Recycler recycler) {
		GenerationStats stats = recycler.getStats();
		return (stats != null) ? stats.requestsServed() : 0;
	}

	private static double survivorSuspected(Recycler recycler) {
		AcrossGenerations.Verdict verdict = recycler.getAcrossGenerations().verdict();
		if (verdict == null || verdict.heapGrowthPerGeneration() == null) {
			return Double.NaN;
		}
		return verdict.suspected() ? 1 : 0;
	}

	private static double baselineGrowth(Recycler recycler) {
		AcrossGenerations.Verdict verdict = recycler.getAcrossGenerations().verdict();
		Double growth = (verdict != null) ? verdict.heapGrowthPerGeneration() : null;
		return (growth != null) ? growth : Double.NaN;
	}

	private static double lastLeakSuspected(Recycler recycler) {
		List<GenerationRecord> history = recycler.getHistory();
		LeakVerdict verdict = history.isEmpty() ? null : history.get(history.size() - 1).leakVerdict();
		if (verdict == null) {
			return Double.NaN;
		}
		return verdict.leakSuspected() ? 1 : 0;
	}

	// start: the current generation once warm; end: the last ended generation as it closed
	private void memory(MeterRegistry registry, String name, String description,
			ToLongFunction<MemorySnapshot> figure) {
		Gauge.builder(name, this.recycler, (recycler) -> value(recycler.getMemoryAtStart(), figure))
			.description(description + ", once the current generation was warm")
			.tag("snapshot", "start")
			.baseUnit("bytes")
			.register(registry);
		Gauge.builder(name, this.recycler, (recycler) -> value(recycler.getLastMemoryAtEnd(), figure))
			.description(description + ", as the last ended generation started to close")
			.tag("snapshot", "end")
			.baseUnit("bytes")
			.register(registry);
	}

	private static double value(@Nullable MemorySnapshot snapshot, ToLongFunction<MemorySnapshot> figure) {
		long value = (snapshot != null) ? figure.applyAsLong(snapshot) : -1;
		return (value >= 0) ? value : Double.NaN;
	}

	private static void timer(MeterRegistry registry, String name, DurationTotals totals, String description) {
		FunctionTimer.builder(name, totals, DurationTotals::count, DurationTotals::totalNanos, TimeUnit.NANOSECONDS)
			.description(description)
			.register(registry);
	}

}
