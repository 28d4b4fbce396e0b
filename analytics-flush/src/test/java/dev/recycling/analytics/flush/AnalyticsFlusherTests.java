package dev.recycling.analytics.flush;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
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
import dev.recycling.analytics.testsupport.HangingProxy;
import dev.recycling.analytics.testsupport.PostgresServer;
import dev.recycling.analytics.testsupport.PostgresServer.PostgresDatabase;
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
			DataSource dataSource = schema(postgres);
			postgres.stop();
			// the heap one batch of 10 entries holds, measured on a flusher without bound
			Setup probe = new Setup(dataSource, Long.MAX_VALUE, Duration.ofMillis(500));
			probe.recordFiveClients();
			probe.flusher.flush(FlushTrigger.PERIODIC);
			long batchBytes = probe.flusher.pendingBytes();
			assertThat(batchBytes).isPositive();
			Setup setup = new Setup(dataSource, batchBytes * 5 / 2, Duration.ofMillis(500));
			long requests = 0;
			long evaluations = 0;
			for (int flush = 0; flush < 6; flush++) {
				// 10 entries per flush: resource and feature per distinct client
				setup.recordFiveClients();
				requests += 5;
				evaluations += 10;
				FlushResult result = setup.flusher.flush(FlushTrigger.PERIODIC);
				assertThat(result.outcome()).isIn(Outcome.DEFERRED, Outcome.SPILLED);
			}
			assertThat(setup.breaker.getState()).isEqualTo(CircuitBreaker.State.OPEN);
			assertThat(setup.flusher.pendingInMemory()).as("two batches within two and a half").isEqualTo(2);
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

	@Test
	void theShutdownFlushTakesTheBatchAStuckFlushIsSendingAndNothingIsLostWhenTheProcessDies() throws Exception {
		PostgresDatabase database = databaseWithSchema();
		try (HangingProxy proxy = HangingProxy.to(PostgresServer.shared().getPort())) {
			Setup before = new Setup(throughProxy(database, proxy), Long.MAX_VALUE, Duration.ofSeconds(30));
			before.record(2, 1);
			assertThat(before.flusher.flush(FlushTrigger.PERIODIC).outcome()).isEqualTo(Outcome.ENQUEUED);
			Thread stuck = before.flushStuckOn(proxy, 5, 4);
			before.record(3, 2);
			long start = System.nanoTime();
			FlushResult result = before.flusher.flushAtShutdown(Duration.ofSeconds(3));
			assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(4));
			assertThat(stuck.isAlive()).as("the periodic flush is still stuck").isTrue();
			assertThat(result.outcome()).isEqualTo(Outcome.SPILLED);
			assertThat(result.batchesSpilled()).isEqualTo(2);
			assertThat(result.batchesLost()).isZero();
			assertThat(result.error()).contains("stuck");
			assertThat(spilledApiRequests(before.spill)).as("both batches not yet durable").isEqualTo(8);
			// the process dies: the stuck call never completes
			proxy.close();
			stuck.join(10_000);
			Setup after = new Setup(database.dataSource(), Long.MAX_VALUE, Duration.ofSeconds(30));
			assertThat(after.flusher.replaySpilled()).isEqualTo(2);
			after.processAll();
			assertThat(after.store.totals("env").apiRequests()).containsEntry("flags", 10L);
			assertThat(after.store.totals("env").featureEvaluations()).containsEntry("dark-mode", 7L);
		}
	}

	@Test
	void aStuckFlushThatCompletesAfterTheShutdownFlushSpilledItsBatchIsAppliedOnce() throws Exception {
		PostgresDatabase database = databaseWithSchema();
		try (HangingProxy proxy = HangingProxy.to(PostgresServer.shared().getPort())) {
			Setup before = new Setup(throughProxy(database, proxy), Long.MAX_VALUE, Duration.ofSeconds(30));
			Thread stuck = before.flushStuckOn(proxy, 5, 4);
			assertThat(before.flusher.flushAtShutdown(Duration.ofSeconds(2)).batchesSpilled()).isEqualTo(1);
			proxy.resume();
			stuck.join(30_000);
			assertThat(stuck.isAlive()).isFalse();
			Setup after = new Setup(database.dataSource(), Long.MAX_VALUE, Duration.ofSeconds(30));
			after.flusher.replaySpilled();
			after.processAll();
			assertThat(after.store.totals("env").apiRequests()).containsEntry("flags", 5L);
			assertThat(after.store.totals("env").featureEvaluations()).containsEntry("dark-mode", 4L);
		}
	}

	@Test
	void whatCanBeNeitherEnqueuedNorSpilledIsReportedAsFailedWithTheExactNumbers() throws Exception {
		PostgresDatabase database = databaseWithSchema();
		try (HangingProxy proxy = HangingProxy.to(PostgresServer.shared().getPort())) {
			Setup setup = new Setup(throughProxy(database, proxy), Long.MAX_VALUE, Duration.ofSeconds(30));
			Thread stuck = setup.flushStuckOn(proxy, 5, 4);
			setup.record(3, 2);
			// the spill directory breaks: a file where the directory was
			Files.delete(this.spillDirectory);
			Files.writeString(this.spillDirectory, "not a directory");
			FlushResult result = setup.flusher.flushAtShutdown(Duration.ofSeconds(2));
			assertThat(result.outcome()).isEqualTo(Outcome.FAILED);
			assertThat(result.batchesLost()).isEqualTo(2);
			assertThat(result.countsLost()).as("8 API requests and 6 evaluations").isEqualTo(14);
			assertThat(setup.statistics.countsLost()).isEqualTo(14);
			proxy.close();
			stuck.join(10_000);
		}
	}

	@Test
	void whileTheBreakerIsOpenTheSpillDirectoryIsNotEvenRead() throws Exception {
		Setup setup = new Setup(TestDatabases.withSchema("h2"), Long.MAX_VALUE, Duration.ofSeconds(30));
		Path damaged = Files.writeString(this.spillDirectory.resolve("damaged.batch"), "not a batch");
		setup.breaker.transitionToOpenState();
		assertThat(setup.flusher.replaySpilled()).isZero();
		assertThat(damaged).as("not read, so not quarantined").exists();
		setup.breaker.transitionToHalfOpenState();
		setup.flusher.replaySpilled();
		assertThat(damaged).as("read once the breaker lets calls through").doesNotExist();
		assertThat(setup.spill.quarantinedCount()).isEqualTo(1);
	}

	@Test
	void aGenerationStartedDuringAnOutageStartsWithItsBreakerOpen() {
		AnalyticsStatistics statistics = new AnalyticsStatistics();
		assertThat(statistics.queueUnreachable()).isFalse();
		statistics.accept(new FlushResult(FlushTrigger.SHUTDOWN, Instant.now(), Duration.ofSeconds(1),
				Outcome.SPILLED, 0, 0, 0, 1, 0, 0, 0, "java.sql.SQLException: Connection refused"));
		assertThat(statistics.queueUnreachable()).isTrue();
		AnalyticsResilience next = AnalyticsResilience.of(CircuitBreakerConfig.ofDefaults(), RetryConfig.ofDefaults(),
				statistics.queueUnreachable());
		assertThat(next.circuitBreaker().getState()).isEqualTo(CircuitBreaker.State.OPEN);
		statistics.accept(new FlushResult(FlushTrigger.PERIODIC, Instant.now(), Duration.ofMillis(5),
				Outcome.ENQUEUED, 1, 1, 1, 0, 0, 0, 0, null));
		assertThat(statistics.queueUnreachable()).as("reachable again").isFalse();
	}

	private long spilledApiRequests(SpillDirectory spill) {
		return spill.load().stream().mapToLong((spilled) -> spilled.batch().apiUsageTotal()).sum();
	}

	private static PostgresDatabase databaseWithSchema() {
		PostgresDatabase database = PostgresServer.shared().createDatabase();
		new AnalyticsSchemaInitializer(database.dataSource(), DatabaseInitializationMode.ALWAYS).initializeDatabase();
		return database;
	}

	private static DataSource throughProxy(PostgresDatabase database, HangingProxy proxy) {
		PGSimpleDataSource dataSource = new PGSimpleDataSource();
		dataSource.setURL(database.jdbcUrl()
			.replace(":" + PostgresServer.shared().getPort() + "/", ":" + proxy.port() + "/")
			.replace("localhost", "127.0.0.1"));
		return dataSource;
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

		Setup(DataSource dataSource, long maxPendingBytes, Duration waitInOpenState) {
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
					retry, maxPendingBytes, Clock.systemUTC(), UUID::randomUUID, this.statistics);
		}

		void recordFiveClients() {
			for (int client = 0; client < 5; client++) {
				this.apiUsage.record("flags", "h", "env", Labels.client("client-" + client, null, null));
				this.evaluations.record("dark-mode", "env", Labels.client("client-" + client, null, null), 2);
			}
		}

		void record(int requests, int evaluations) {
			for (int i = 0; i < requests; i++) {
				this.apiUsage.record("flags", "h", "env", Labels.NONE);
			}
			this.evaluations.record("dark-mode", "env", Labels.NONE, evaluations);
		}

		/**
		 * Make the database hang, record, and start a periodic flush that gets stuck on it:
		 * once it returns, the flush has drained the caches and holds its batch, blocked on
		 * the socket.
		 */
		Thread flushStuckOn(HangingProxy proxy, int requests, int evaluations) {
			proxy.hang();
			record(requests, evaluations);
			Thread thread = new Thread(() -> this.flusher.flush(FlushTrigger.PERIODIC), "stuck-periodic-flush");
			thread.setDaemon(true);
			thread.start();
			await().atMost(Duration.ofSeconds(10)).until(() -> this.apiUsage.total() == 0);
			return thread;
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
