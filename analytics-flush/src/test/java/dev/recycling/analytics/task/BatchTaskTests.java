package dev.recycling.analytics.task;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import dev.recycling.analytics.store.AnalyticsTables;
import dev.recycling.analytics.store.JdbcAnalyticsStore;
import dev.recycling.analytics.testsupport.Batches;
import dev.recycling.analytics.testsupport.TestDatabases;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link BatchTask} run by a real db-scheduler {@link BatchProcessor} on a real
 * PostgreSQL and H2, enqueued through {@link DbSchedulerBatchQueue}.
 */
class BatchTaskTests {

	private final BatchCodec codec = new BatchCodec();

	@ParameterizedTest
	@MethodSource(TestDatabases.PLATFORMS)
	void anEnqueuedBatchIsOneTaskAppliedByTheProcessor(String platform) {
		DataSource dataSource = TestDatabases.withSchema(platform);
		JdbcAnalyticsStore store = new JdbcAnalyticsStore(dataSource);
		BatchTask task = new BatchTask(this.codec, store, Duration.ofMillis(100), Duration.ofSeconds(1));
		BatchQueue queue = queue(dataSource, task);
		AnalyticsBatch batch = Batches.of("env", 1000, 500, 3);
		assertThat(queue.enqueue(batch)).isTrue();
		assertThat(queue.enqueue(batch)).as("same batch id").isFalse();
		assertThat(queue.pendingBatches()).isEqualTo(1);
		processUntilEmpty(dataSource, task, queue);
		assertThat(store.totals("env").apiRequests()).hasSize(1000).containsEntry("resource-999", 3L);
		assertThat(store.totals("env").featureEvaluations()).hasSize(500).containsEntry("feature-0", 3L);
	}

	@ParameterizedTest
	@MethodSource(TestDatabases.PLATFORMS)
	void aCrashBetweenApplyingAndCompletingTheTaskDoesNotCountTwice(String platform) {
		DataSource dataSource = TestDatabases.withSchema(platform);
		JdbcAnalyticsStore store = new JdbcAnalyticsStore(dataSource);
		AtomicInteger runs = new AtomicInteger();
		// the first run commits the counts, then dies before db-scheduler marks the task done
		AnalyticsBatchHandler crashesOnce = (batch) -> {
			store.handle(batch);
			if (runs.incrementAndGet() == 1) {
				throw new IllegalStateException("crash after the commit");
			}
		};
		BatchTask task = new BatchTask(this.codec, crashesOnce, Duration.ofMillis(100), Duration.ofSeconds(1));
		BatchQueue queue = queue(dataSource, task);
		queue.enqueue(Batches.of("env", 10, 10, 4));
		processUntilEmpty(dataSource, task, queue);
		assertThat(runs.get()).isEqualTo(2);
		assertThat(store.totals("env").apiRequests()).hasSize(10).containsEntry("resource-0", 4L);
		assertThat(store.totals("env").featureEvaluations()).containsEntry("feature-9", 4L);
	}

	@ParameterizedTest
	@MethodSource(TestDatabases.PLATFORMS)
	void aBatchThatCannotBeAppliedStaysQueued(String platform) {
		DataSource dataSource = TestDatabases.withSchema(platform);
		AtomicInteger runs = new AtomicInteger();
		BatchTask task = new BatchTask(this.codec, (batch) -> {
			runs.incrementAndGet();
			throw new IllegalStateException("store unavailable");
		}, Duration.ofMillis(50), Duration.ofMillis(100));
		BatchQueue queue = queue(dataSource, task);
		queue.enqueue(Batches.of("env", 1, 1, 1));
		BatchProcessor processor = processor(dataSource, task);
		processor.start();
		try {
			await().atMost(Duration.ofSeconds(30)).until(() -> runs.get() >= 3);
		}
		finally {
			processor.stop();
		}
		assertThat(queue.pendingBatches()).isEqualTo(1);
	}

	@ParameterizedTest
	@MethodSource(TestDatabases.PLATFORMS)
	void aTaskIsOneRowHoldingTheEncodedBatch(String platform) {
		DataSource dataSource = TestDatabases.withSchema(platform);
		BatchTask task = new BatchTask(this.codec, (batch) -> {
		}, Duration.ofSeconds(1), Duration.ofSeconds(1));
		AnalyticsBatch batch = Batches.of("env", 100, 100, 1);
		queue(dataSource, task).enqueue(batch);
		List<Map<String, Object>> rows = new JdbcTemplate(dataSource)
			.queryForList("SELECT task_name, task_instance, task_data FROM " + AnalyticsTables.TASKS);
		assertThat(rows).singleElement().satisfies((row) -> {
			assertThat(row.get("task_name")).isEqualTo(BatchTask.NAME);
			assertThat(row.get("task_instance")).isEqualTo(batch.id().toString());
		});
	}

	private BatchQueue queue(DataSource dataSource, BatchTask task) {
		return new DbSchedulerBatchQueue(dataSource, AnalyticsTables.TASKS, task, this.codec, () -> {
		}, Instant::now);
	}

	private static BatchProcessor processor(DataSource dataSource, BatchTask task) {
		return new BatchProcessor(dataSource, AnalyticsTables.TASKS, task, Duration.ofMillis(100), 1,
				Duration.ofSeconds(5));
	}

	private static void processUntilEmpty(DataSource dataSource, BatchTask task, BatchQueue queue) {
		BatchProcessor processor = processor(dataSource, task);
		processor.start();
		try {
			await().atMost(Duration.ofSeconds(30)).until(() -> queue.pendingBatches() == 0);
		}
		finally {
			processor.stop();
		}
	}

}
