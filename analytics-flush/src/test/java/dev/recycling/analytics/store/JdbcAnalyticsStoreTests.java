package dev.recycling.analytics.store;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import javax.sql.DataSource;

import dev.recycling.analytics.cache.ApiUsageKey;
import dev.recycling.analytics.cache.FeatureEvaluationKey;
import dev.recycling.analytics.cache.Labels;
import dev.recycling.analytics.cache.UsageCount;
import dev.recycling.analytics.task.AnalyticsBatch;
import dev.recycling.analytics.testsupport.Batches;
import dev.recycling.analytics.testsupport.TestDatabases;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link JdbcAnalyticsStore} against a real PostgreSQL and H2.
 */
class JdbcAnalyticsStoreTests {

	@ParameterizedTest
	@MethodSource(TestDatabases.PLATFORMS)
	void applyingABatchAddsItsCountsAndApplyingItAgainChangesNothing(String platform) {
		DataSource dataSource = TestDatabases.withSchema(platform);
		JdbcAnalyticsStore store = new JdbcAnalyticsStore(dataSource);
		AnalyticsBatch batch = Batches.of("env-a", 3, 2, 5);
		assertThat(store.apply(batch)).isTrue();
		assertThat(store.apply(batch)).isFalse();
		assertThat(store.isApplied(batch)).isTrue();
		assertThat(store.apply(Batches.of("env-a", 1, 1, 2))).isTrue();
		UsageTotals totals = store.totals("env-a");
		assertThat(totals.apiRequests()).containsExactlyInAnyOrderEntriesOf(
				Map.of("resource-0", 7L, "resource-1", 5L, "resource-2", 5L));
		assertThat(totals.featureEvaluations()).containsExactlyInAnyOrderEntriesOf(
				Map.of("feature-0", 7L, "feature-1", 5L));
		assertThat(store.totals("env-b").apiRequests()).isEmpty();
	}

	@ParameterizedTest
	@MethodSource(TestDatabases.PLATFORMS)
	void countsAreKeptPerMinuteBucketAndLabels(String platform) {
		DataSource dataSource = TestDatabases.withSchema(platform);
		JdbcAnalyticsStore store = new JdbcAnalyticsStore(dataSource);
		long minute = Instant.now().getEpochSecond() / 60;
		Labels web = Labels.client("web", "1", null);
		Labels ios = Labels.client("ios", "2", "\"quoted\" agent");
		store.apply(new AnalyticsBatch(UUID.randomUUID(), Instant.now(), "test",
				List.of(new UsageCount<>(minute, new ApiUsageKey("flags", "h", "env", web), 2),
						new UsageCount<>(minute, new ApiUsageKey("flags", "h", "env", ios), 3),
						new UsageCount<>(minute + 1, new ApiUsageKey("flags", "h", "env", web), 4)),
				List.of(new UsageCount<>(minute, new FeatureEvaluationKey("f", "env", ios), 1))));
		store.apply(new AnalyticsBatch(UUID.randomUUID(), Instant.now(), "test",
				List.of(new UsageCount<>(minute, new ApiUsageKey("flags", "h", "env", web), 10)), List.of()));
		JdbcTemplate jdbc = new JdbcTemplate(dataSource);
		List<Map<String, Object>> rows = jdbc.queryForList("SELECT labels, request_count FROM "
				+ AnalyticsTables.API_USAGE + " ORDER BY bucket_start, labels");
		assertThat(rows).extracting((row) -> row.get("labels") + "=" + row.get("request_count"))
			.containsExactly(ios.toJson() + "=3", web.toJson() + "=12", web.toJson() + "=4");
		assertThat(store.totals("env").apiRequests()).containsExactly(Map.entry("flags", 19L));
	}

	@ParameterizedTest
	@MethodSource(TestDatabases.PLATFORMS)
	void theSameBatchAppliedConcurrentlyCountsOnce(String platform) throws Exception {
		DataSource dataSource = TestDatabases.withSchema(platform);
		JdbcAnalyticsStore store = new JdbcAnalyticsStore(dataSource);
		AnalyticsBatch batch = Batches.of("env", 200, 200, 1);
		ExecutorService pool = Executors.newFixedThreadPool(4);
		List<Future<Boolean>> runs = new ArrayList<>();
		for (int i = 0; i < 4; i++) {
			runs.add(pool.submit((Callable<Boolean>) () -> store.apply(batch)));
		}
		int applied = 0;
		for (Future<Boolean> run : runs) {
			applied += run.get() ? 1 : 0;
		}
		pool.shutdown();
		assertThat(applied).isEqualTo(1);
		assertThat(store.totals("env").apiRequests().values()).hasSize(200).allMatch((total) -> total == 1L);
	}

}
