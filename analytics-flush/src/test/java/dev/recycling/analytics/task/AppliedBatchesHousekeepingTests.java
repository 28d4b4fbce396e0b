package dev.recycling.analytics.task;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import javax.sql.DataSource;

import dev.recycling.analytics.store.AnalyticsTables;
import dev.recycling.analytics.store.JdbcAnalyticsStore;
import dev.recycling.analytics.testsupport.TestDatabases;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The ids of applied batches are deleted once they are older than the retention, by one
 * recurring task shared by every processor on the database.
 */
class AppliedBatchesHousekeepingTests {

	private static final Duration RETENTION = Duration.ofDays(30);

	@ParameterizedTest
	@MethodSource(TestDatabases.PLATFORMS)
	void idsOlderThanTheRetentionAreDeletedByOneTaskOfAllProcessors(String platform) {
		DataSource dataSource = TestDatabases.withSchema(platform);
		JdbcTemplate jdbc = new JdbcTemplate(dataSource);
		Instant now = Instant.now();
		insertApplied(jdbc, "expired-1", now.minus(RETENTION).minusSeconds(60));
		insertApplied(jdbc, "expired-2", now.minus(Duration.ofDays(400)));
		insertApplied(jdbc, "kept-1", now.minus(RETENTION).plusSeconds(3600));
		insertApplied(jdbc, "kept-2", now.minusSeconds(5));
		JdbcAnalyticsStore store = new JdbcAnalyticsStore(dataSource);
		BatchTask task = new BatchTask(new BatchCodec(), store, Duration.ofSeconds(1), Duration.ofSeconds(5));
		// two instances on one database
		List<BatchProcessor> processors = List.of(processor(dataSource, task, store),
				processor(dataSource, task, store));
		processors.forEach(BatchProcessor::start);
		try {
			await().atMost(Duration.ofSeconds(30))
				.untilAsserted(() -> assertThat(jdbc.queryForList("SELECT batch_id FROM "
						+ AnalyticsTables.APPLIED_BATCHES + " ORDER BY batch_id", String.class))
					.containsExactly("kept-1", "kept-2"));
			assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM " + AnalyticsTables.TASKS + " WHERE task_name = ?",
					Long.class, AppliedBatchesHousekeeping.NAME))
				.as("housekeeping executions scheduled")
				.isOne();
		}
		finally {
			processors.forEach(BatchProcessor::stop);
		}
	}

	private static BatchProcessor processor(DataSource dataSource, BatchTask task, JdbcAnalyticsStore store) {
		AppliedBatchesHousekeeping housekeeping = new AppliedBatchesHousekeeping(store::forgetAppliedBefore,
				RETENTION, Duration.ofMillis(200), Instant::now);
		return new BatchProcessor(dataSource, AnalyticsTables.TASKS, task, Duration.ofMillis(100), 1,
				Duration.ofSeconds(5), () -> true, housekeeping);
	}

	private static void insertApplied(JdbcTemplate jdbc, String batchId, Instant appliedAt) {
		jdbc.update("INSERT INTO " + AnalyticsTables.APPLIED_BATCHES
				+ " (batch_id, applied_at, api_entries, evaluation_entries) VALUES (?, ?, 0, 0)", batchId,
				Timestamp.from(appliedAt));
	}

}
