package dev.recycling.analytics.metrics;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.ToDoubleFunction;

import dev.recycling.analytics.flush.AnalyticsStatistics;
import dev.recycling.analytics.flush.AnalyticsStatistics.FlushKey;
import dev.recycling.analytics.flush.AnalyticsStatistics.LiveView;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * Binds the analytics metrics of a generation. Counts come from {@link AnalyticsStatistics},
 * which outlives the generation, so the shutdown flush of one generation shows in the next
 * one's registry and counters do not start again from zero; the gauges read the current
 * generation through the view it attaches, until it closes.
 *
 * @author recycling team
 */
public final class AnalyticsMetrics implements MeterBinder, AutoCloseable {

	/**
	 * Tag value of the API-usage cache.
	 */
	public static final String API_USAGE = "api-usage";

	/**
	 * Tag value of the feature-evaluation cache.
	 */
	public static final String FEATURE_EVALUATIONS = "feature-evaluations";

	private final AnalyticsStatistics statistics;

	private final LiveView view;

	private final List<MeterRegistry> registries = new CopyOnWriteArrayList<>();

	private final Consumer<FlushKey> newKeyListener = this::registerFlushTimer;

	/**
	 * Create the binder and attach the generation's view to the statistics.
	 * @param statistics the flush statistics
	 * @param view the current generation's caches and batches
	 */
	public AnalyticsMetrics(AnalyticsStatistics statistics, LiveView view) {
		this.statistics = statistics;
		this.view = view;
		statistics.attach(view);
		statistics.addNewKeyListener(this.newKeyListener);
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		AnalyticsStatistics statistics = this.statistics;
		gauge(registry, API_USAGE, (stats) -> stats.live().apiUsageKeys());
		gauge(registry, FEATURE_EVALUATIONS, (stats) -> stats.live().featureEvaluationKeys());
		Gauge.builder("analytics.batches.pending", statistics, (stats) -> stats.live().pendingBatches())
			.description("Batches held in memory because the queue could not take them (not yet durable)")
			.register(registry);
		Gauge.builder("analytics.batches.spilled", statistics, (stats) -> stats.live().spilledBatches())
			.description("Batches in the spill directory, waiting for replay")
			.register(registry);
		FunctionCounter.builder("analytics.flush.entries", statistics, AnalyticsStatistics::entriesEnqueued)
			.description("Entries (minute, key, count) enqueued as durable tasks")
			.baseUnit("entries")
			.register(registry);
		FunctionCounter.builder("analytics.enqueued", statistics, AnalyticsStatistics::countsEnqueued)
			.description("Counts (API requests, feature evaluations) recorded and enqueued as durable tasks by this JVM")
			.tag("unit", "counts")
			.register(registry);
		FunctionCounter.builder("analytics.applied", statistics, AnalyticsStatistics::batchesApplied)
			.description("Batches this JVM's processor applied, whichever instance flushed them")
			.tag("unit", "batches")
			.register(registry);
		FunctionCounter.builder("analytics.applied", statistics, AnalyticsStatistics::countsApplied)
			.description("Counts in the batches this JVM's processor applied")
			.tag("unit", "counts")
			.register(registry);
		FunctionTimer
			.builder("analytics.apply.lag", statistics, AnalyticsStatistics::batchesApplied,
					AnalyticsStatistics::applyLagNanos, TimeUnit.NANOSECONDS)
			.description("From a batch's flush to its apply by this JVM's processor")
			.register(registry);
		FunctionCounter.builder("analytics.lost", statistics, AnalyticsStatistics::batchesLost)
			.description("Batches that could be neither enqueued nor spilled")
			.tag("unit", "batches")
			.register(registry);
		FunctionCounter.builder("analytics.lost", statistics, AnalyticsStatistics::countsLost)
			.description("Batches that could be neither enqueued nor spilled")
			.tag("unit", "counts")
			.register(registry);
		this.registries.add(registry);
		statistics.flushKeys().forEach((key) -> flushTimer(registry, key));
	}

	private void gauge(MeterRegistry registry, String cache, ToDoubleFunction<AnalyticsStatistics> keys) {
		Gauge.builder("analytics.cache.keys", this.statistics, keys)
			.description("Keys (minute, key) held in memory until the next flush")
			.tag("cache", cache)
			.register(registry);
	}

	private void registerFlushTimer(FlushKey key) {
		this.registries.forEach((registry) -> flushTimer(registry, key));
	}

	private void flushTimer(MeterRegistry registry, FlushKey key) {
		FunctionTimer
			.builder("analytics.flush", this.statistics, (stats) -> stats.flushCount(key),
					(stats) -> stats.flushNanos(key), TimeUnit.NANOSECONDS)
			.description("Flushes of the usage caches")
			.tag("trigger", key.trigger())
			.tag("outcome", key.outcome())
			.register(registry);
	}

	/**
	 * Stop registering meters and keep the generation's last gauge values.
	 */
	@Override
	public void close() {
		this.statistics.removeNewKeyListener(this.newKeyListener);
		this.statistics.detach(this.view);
		this.registries.clear();
	}

}
