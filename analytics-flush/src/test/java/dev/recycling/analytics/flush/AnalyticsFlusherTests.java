package dev.recycling.analytics.flush;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;

import javax.sql.DataSource;

import dev.recycling.analytics.cache.ApiUsageCache;
import dev.recycling.analytics.cache.FeatureEvaluationCache;
import dev.recycling.analytics.cache.Labels;
import dev.recycling.analytics.cache.UsageCounter;
import dev.recycling.analytics.flush.AnalyticsStatistics.FlushKey;
import dev.recycling.analytics.flush.FlushResult.Outcome;
import dev.recycling.analytics.spill.SpillDirectory;
import dev.recycling.analytics.store.AnalyticsSchemaInitializer;
import dev.recycling.analytics.store.AnalyticsTables;
import dev.recycling.analytics.store.JdbcAnalyticsStore;
import dev.recycling.analytics.task.BatchCodec;
import dev.recycling.analytics.task.BatchProcessor;
import dev.recycling.analytics.task.BatchQueue;
import dev.recycling.analytics.task.BatchTask;
import dev.recycling.analytics.task.DbSchedulerBatchQueue;
import dev.recycling.analytics.testsupport.RestartablePostgres;
import dev.recycling.analytics.testsupport.TestDatabases;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.ds.PGSimpleDataSource;

import org.springframework.boot.sql.init.DatabaseInitializationMode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link AnalyticsFlusher} with a real queue on a real database, including a
 * PostgreSQL server that is stopped and started again.
 */
class AnalyticsFlusherTests {

	@TempDir
	Path spillDirectory;

	private final BatchCodec codec = new BatchCodec();

	@Test
	void aFlushEnqueuesBothCachesAsOneTask() {
		Setup setup = new Setup(TestDatabases.withSchema("h2"), 1_000_000, Duration.ofSeconds(30));
		setup.record(5, 3);
		FlushResult result = setup.flusher.flush(FlushTrigger.PERIODIC);
		assertThat(result.outcome()).isEqualTo(Outcome.ENQUEUED);
		assertThat(result.batchesEnqueued()).isEqualTo(1);
		assertThat(setup.queue.pendingBatches()).isEqualTo(1);
		assertThat(setup.flusher.flush(FlushTrigger.PERIODIC).outcome()).isEqualTo(Outcome.EMPTY);
		assertThat(setup.statistics.flushCount(new FlushKey("periodic", "enqueued"))).isEqualTo(1);
		assertThat(setup.statistics.flushCount(new FlushKey("periodic", "empty"))).isEqualTo(1);
		assertThat(setup.statistics.entriesEnqueued()).as("one API-usage and one evaluation entry").isEqualTo(2);
		assertThat(setup.statistics.lastResult().outcome()).isEqualTo(Outcome.EMPTY);
		setup.processAll();
		assertThat(setup.store.totals("env").apiRequests()).containsEntry("flags", 5L);
		assertThat(setup.store.totals("env").featureEvaluations()).containsEntry("dark-mode", 3L);
	}

	@Test
	void whileTheDatabaseIsDownBatchesWaitInMemoryThenSpillAndNothingIsLostWhenItIsBack() {
		try (RestartablePostgres postgres = RestartablePostgres.start()) {
			Setup setup = new Setup(schema(postgres), 25, Duration.ofMillis(500));
			postgres.stop();
			long requests = 0;
			long evaluations = 0;
			for (int flush = 0; flush < 6; flush++) {
				// 10 entries per flush: resource and feature per distinct client
				for (int client = 0; client < 5; client++) {
					setup.apiUsage.record("flags", "h", "env", Labels.client("client-" + client, null, null));
					setup.evaluations.record("dark-mode", "env", Labels.client("client-" + client, null, null), 2);
					requests++;
					evaluations += 2;
				}
				FlushResult result = setup.flusher.flush(FlushTrigger.PERIODIC);
				assertThat(result.outcome()).isIn(Outcome.DEFERRED, Outcome.SPILLED);
			}
			assertThat(setup.breaker.getState()).isEqualTo(CircuitBreaker.State.OPEN);
			assertThat(setup.flusher.pendingInMemory()).as("batches of 10 entries within 25").isEqualTo(2);
			assertThat(setup.spill.count()).isEqualTo(4);
			assertThat(setup.statistics.flushKeys()).extracting(FlushKey::outcome).containsOnly("deferred", "spilled");
			assertThat(setup.statistics.entriesEnqueued()).isZero();
			postgres.restart();
			await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
				setup.flusher.flush(FlushTrigger.PERIODIC);
				assertThat(setup.flusher.pendingInMemory()).isZero();
				assertThat(setup.spill.count()).isZero();
			});
			setup.processAll();
			assertThat(setup.store.totals("env").apiRequests()).containsEntry("flags", requests);
			assertThat(setup.store.totals("env").featureEvaluations()).containsEntry("dark-mode", evaluations);
		}
	}

	@Test
	void theShutdownFlushSpillsWithinItsBudgetWhenTheDatabaseIsDownAndTheReplayAppliesItOnce() {
		try (RestartablePostgres postgres = RestartablePostgres.start()) {
			DataSource dataSource = schema(postgres);
			Setup before = new Setup(dataSource, 1_000_000, Duration.ofSeconds(30));
			before.record(7, 4);
			postgres.stop();
			long start = System.nanoTime();
			FlushResult result = before.flusher.flushAtShutdown(Duration.ofSeconds(3));
			assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
			assertThat(result.outcome()).isEqualTo(Outcome.SPILLED);
			assertThat(result.batchesSpilled()).isEqualTo(1);
			assertThat(before.spill.count()).isEqualTo(1);
			postgres.restart();
			Setup after = new Setup(dataSource, 1_000_000, Duration.ofSeconds(30));
			var spilled = after.spill.load();
			assertThat(after.flusher.replaySpilled()).isEqualTo(1);
			after.processAll();
			// the same file replayed again (say it could not be deleted) changes nothing: same batch id
			spilled.forEach((batch) -> after.spill.spill(batch.batch()));
			assertThat(after.flusher.replaySpilled()).isEqualTo(1);
			after.processAll();
			assertThat(after.store.totals("env").apiRequests()).containsEntry("flags", 7L);
			assertThat(after.store.totals("env").featureEvaluations()).containsEntry("dark-mode", 4L);
		}
	}

	private DataSource schema(RestartablePostgres postgres) {
		PGSimpleDataSource dataSource = new PGSimpleDataSource();
		dataSource.setURL(postgres.jdbcUrl());
		dataSource.setConnectTimeout(2);
		new AnalyticsSchemaInitializer(dataSource, DatabaseInitializationMode.ALWAYS).initializeDatabase();
		return dataSource;
	}

	private final class Setup {

		final ApiUsageCache apiUsage = new ApiUsageCache(new UsageCounter<>(1000, System::currentTimeMillis, () -> {
		}));

		final FeatureEvaluationCache evaluations = new FeatureEvaluationCache(
				new UsageCounter<>(1000, System::currentTimeMillis, () -> {
				}));

		final DataSource dataSource;

		final JdbcAnalyticsStore store;

		final BatchTask task;

		final BatchQueue queue;

		final SpillDirectory spill;

		final CircuitBreaker breaker;

		final AnalyticsStatistics statistics = new AnalyticsStatistics();

		final AnalyticsFlusher flusher;

		final BatchCodec codec = AnalyticsFlusherTests.this.codec;

		Setup(DataSource dataSource, long maxPendingEntries, Duration waitInOpenState) {
			this.dataSource = dataSource;
			this.store = new JdbcAnalyticsStore(dataSource);
			this.task = new BatchTask(this.codec, this.store, Duration.ofMillis(100), Duration.ofSeconds(1));
			this.queue = new DbSchedulerBatchQueue(dataSource, AnalyticsTables.TASKS, this.task, this.codec, () -> {
			}, Clock.systemUTC()::instant);
			this.spill = new SpillDirectory(AnalyticsFlusherTests.this.spillDirectory, this.codec);
			this.breaker = CircuitBreaker.of("test", CircuitBreakerConfig.custom()
				.slidingWindowSize(4)
				.minimumNumberOfCalls(2)
				.waitDurationInOpenState(waitInOpenState)
				.permittedNumberOfCallsInHalfOpenState(1)
				.build());
			Retry retry = Retry.of("test", RetryConfig.custom()
				.maxAttempts(3)
				.intervalFunction(IntervalFunction.ofExponentialBackoff(Duration.ofMillis(50), 2))
				.build());
			this.flusher = new AnalyticsFlusher(this.apiUsage, this.evaluations, this.queue, this.spill, this.breaker,
					retry, maxPendingEntries, Clock.systemUTC(), UUID::randomUUID, this.statistics);
		}

		void record(int requests, int evaluations) {
			for (int i = 0; i < requests; i++) {
				this.apiUsage.record("flags", "h", "env", Labels.NONE);
			}
			this.evaluations.record("dark-mode", "env", Labels.NONE, evaluations);
		}

		void processAll() {
			BatchProcessor processor = new BatchProcessor(this.dataSource, AnalyticsTables.TASKS, this.task,
					Duration.ofMillis(100), 1, Duration.ofSeconds(5));
			processor.start();
			try {
				await().atMost(Duration.ofSeconds(30)).until(() -> this.queue.pendingBatches() == 0);
			}
			finally {
				processor.stop();
			}
		}

	}

}
