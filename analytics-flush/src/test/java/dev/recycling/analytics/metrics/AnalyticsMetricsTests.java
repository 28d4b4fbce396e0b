package dev.recycling.analytics.metrics;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

import dev.recycling.analytics.flush.AnalyticsStatistics;
import dev.recycling.analytics.flush.AnalyticsStatistics.LiveView;
import dev.recycling.analytics.flush.FlushResult;
import dev.recycling.analytics.flush.FlushResult.Outcome;
import dev.recycling.analytics.flush.FlushTrigger;
import dev.recycling.analytics.task.AnalyticsBatch;
import dev.recycling.analytics.testsupport.Batches;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link AnalyticsMetrics}: one {@link AnalyticsStatistics} outlives the
 * generations, each generation binds its own registry.
 */
class AnalyticsMetricsTests {

	private final AnalyticsStatistics statistics = new AnalyticsStatistics();

	@Test
	void gaugesReadTheCurrentGenerationAndFlushTimersAppearWithTheirFirstFlush() {
		MeterRegistry registry = new SimpleMeterRegistry();
		AnalyticsMetrics metrics = new AnalyticsMetrics(this.statistics, LiveView.snapshot(7, 3, 1, 2));
		metrics.bindTo(registry);
		assertThat(registry.get("analytics.cache.keys").tag("cache", AnalyticsMetrics.API_USAGE).gauge().value())
			.isEqualTo(7);
		assertThat(registry.get("analytics.cache.keys")
			.tag("cache", AnalyticsMetrics.FEATURE_EVALUATIONS)
			.gauge()
			.value()).isEqualTo(3);
		assertThat(registry.get("analytics.batches.pending").gauge().value()).isEqualTo(1);
		assertThat(registry.get("analytics.batches.spilled").gauge().value()).isEqualTo(2);
		assertThat(registry.find("analytics.flush").meters()).isEmpty();

		this.statistics.accept(result(FlushTrigger.PERIODIC, Outcome.ENQUEUED, 40, 120));
		this.statistics.accept(result(FlushTrigger.PERIODIC, Outcome.ENQUEUED, 60, 30));
		this.statistics.accept(result(FlushTrigger.MANUAL, Outcome.DEFERRED, 10, 0));
		FunctionTimer periodic = registry.get("analytics.flush")
			.tags("trigger", "periodic", "outcome", "enqueued")
			.functionTimer();
		assertThat(periodic.count()).isEqualTo(2);
		assertThat(periodic.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(100);
		assertThat(registry.get("analytics.flush").tags("trigger", "manual", "outcome", "deferred").functionTimer()
			.count()).isEqualTo(1);
		assertThat(registry.get("analytics.flush.entries").functionCounter().count()).isEqualTo(150);
		assertThat(registry.get("analytics.enqueued").tag("unit", "counts").functionCounter().count()).isEqualTo(300);
	}

	@Test
	void batchesAppliedByThisProcessorAreCountedWithTheirTimeSinceTheFlush() {
		MeterRegistry registry = new SimpleMeterRegistry();
		new AnalyticsMetrics(this.statistics, LiveView.snapshot(0, 0, 0, 0)).bindTo(registry);
		this.statistics.batchApplied(flushedAgo(Batches.of("env", 3, 1, 2), Duration.ofSeconds(2)));
		this.statistics.batchApplied(flushedAgo(Batches.of("env", 1, 0, 1), Duration.ofSeconds(1)));
		assertThat(registry.get("analytics.applied").tag("unit", "batches").functionCounter().count()).isEqualTo(2);
		assertThat(registry.get("analytics.applied").tag("unit", "counts").functionCounter().count()).isEqualTo(9);
		FunctionTimer lag = registry.get("analytics.apply.lag").functionTimer();
		assertThat(lag.count()).isEqualTo(2);
		assertThat(lag.totalTime(TimeUnit.MILLISECONDS)).isBetween(3000.0, 10_000.0);
	}

	@Test
	void theShutdownFlushOfOneGenerationIsCountedInTheNextOnesRegistry() {
		MeterRegistry first = new SimpleMeterRegistry();
		AnalyticsMetrics firstMetrics = new AnalyticsMetrics(this.statistics, LiveView.snapshot(5, 5, 0, 0));
		firstMetrics.bindTo(first);
		this.statistics.accept(result(FlushTrigger.PERIODIC, Outcome.ENQUEUED, 20, 10));
		// the generation ends: its hook flushes, then its beans are destroyed
		this.statistics.accept(result(FlushTrigger.SHUTDOWN, Outcome.ENQUEUED, 30, 5));
		firstMetrics.close();
		this.statistics.accept(result(FlushTrigger.SHUTDOWN, Outcome.SPILLED, 30, 0));
		assertThat(first.find("analytics.flush").tag("outcome", "spilled").meters())
			.as("a closed generation registers nothing more")
			.isEmpty();

		MeterRegistry second = new SimpleMeterRegistry();
		new AnalyticsMetrics(this.statistics, LiveView.snapshot(0, 0, 0, 0)).bindTo(second);
		assertThat(second.get("analytics.flush").tags("trigger", "shutdown", "outcome", "enqueued").functionTimer()
			.count()).isEqualTo(1);
		assertThat(second.get("analytics.flush").tags("trigger", "shutdown", "outcome", "spilled").functionTimer()
			.count()).isEqualTo(1);
		assertThat(second.get("analytics.flush.entries").functionCounter().count()).isEqualTo(15);
		assertThat(second.get("analytics.cache.keys").tag("cache", AnalyticsMetrics.API_USAGE).gauge().value())
			.isZero();
	}

	@Test
	void betweenGenerationsTheGaugesKeepTheLastValuesOfTheClosedOne() {
		MeterRegistry outliving = new SimpleMeterRegistry();
		long[] keys = { 4 };
		LiveView live = new LiveView() {

			@Override
			public long apiUsageKeys() {
				return keys[0];
			}

			@Override
			public long featureEvaluationKeys() {
				return 0;
			}

			@Override
			public long pendingBatches() {
				return 0;
			}

			@Override
			public long spilledBatches() {
				return 0;
			}

		};
		AnalyticsMetrics metrics = new AnalyticsMetrics(this.statistics, live);
		metrics.bindTo(outliving);
		keys[0] = 9;
		assertThat(outliving.get("analytics.cache.keys").tag("cache", AnalyticsMetrics.API_USAGE).gauge().value())
			.isEqualTo(9);
		metrics.close();
		keys[0] = 100;
		assertThat(outliving.get("analytics.cache.keys").tag("cache", AnalyticsMetrics.API_USAGE).gauge().value())
			.isEqualTo(9);
	}

	private static AnalyticsBatch flushedAgo(AnalyticsBatch batch, Duration ago) {
		return new AnalyticsBatch(batch.id(), Instant.now().minus(ago), batch.trigger(), batch.apiUsage(),
				batch.featureEvaluations());
	}

	private static FlushResult result(FlushTrigger trigger, Outcome outcome, long millis, long entries) {
		return new FlushResult(trigger, Instant.now(), Duration.ofMillis(millis), outcome,
				(entries > 0) ? 1 : 0, entries, 2 * entries, (outcome == Outcome.SPILLED) ? 1 : 0, 0, 0, 0, null);
	}

}
