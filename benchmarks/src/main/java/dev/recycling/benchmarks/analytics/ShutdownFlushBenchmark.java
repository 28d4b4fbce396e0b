package dev.recycling.benchmarks.analytics;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import com.zaxxer.hikari.HikariDataSource;
import dev.recycling.analytics.cache.ApiUsageKey;
import dev.recycling.analytics.cache.Labels;
import dev.recycling.analytics.cache.UsageCount;
import dev.recycling.analytics.store.AnalyticsSchemaInitializer;
import dev.recycling.analytics.store.AnalyticsTables;
import dev.recycling.analytics.store.JdbcAnalyticsStore;
import dev.recycling.analytics.task.AnalyticsBatch;
import dev.recycling.analytics.task.BatchCodec;
import dev.recycling.analytics.task.BatchQueue;
import dev.recycling.analytics.task.BatchTask;
import dev.recycling.analytics.task.DbSchedulerBatchQueue;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import org.springframework.boot.sql.init.DatabaseInitializationMode;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The shutdown flush of {@code --keys} distinct keys on a real PostgreSQL (embedded binaries,
 * durable commits: fsync on): the time until the batch is committed as one task, against
 * one task per key, alternating in the same run. Also the time the processor takes to apply
 * the one batch into the aggregate tables.
 * <p>
 * Usage: {@code ShutdownFlushBenchmark [--keys 100000] [--rounds 3] [--json file]}
 */
public final class ShutdownFlushBenchmark {

	private ShutdownFlushBenchmark() {
	}

	public static void main(String[] args) throws Exception {
		int keys = 100_000;
		int rounds = 3;
		Path json = null;
		for (int i = 0; i < args.length; i++) {
			switch (args[i]) {
				case "--keys" -> keys = Integer.parseInt(args[++i]);
				case "--rounds" -> rounds = Integer.parseInt(args[++i]);
				case "--json" -> json = Path.of(args[++i]);
				default -> throw new IllegalArgumentException("Unknown option " + args[i]
						+ "; use --keys N, --rounds N, --json FILE");
			}
		}
		try (EmbeddedPostgres postgres = Rounds.startPostgres();
				HikariDataSource dataSource = Rounds.pool(postgres, "postgres", 4)) {
			new AnalyticsSchemaInitializer(dataSource, DatabaseInitializationMode.ALWAYS).initializeDatabase();
			BatchCodec codec = new BatchCodec();
			BatchQueue queue = new DbSchedulerBatchQueue(dataSource, AnalyticsTables.TASKS,
					new BatchTask(codec, (batch) -> {
					}, Duration.ofSeconds(1), Duration.ofSeconds(1)), codec, () -> {
					}, Instant::now);
			JdbcAnalyticsStore store = new JdbcAnalyticsStore(dataSource);
			JdbcTemplate jdbc = new JdbcTemplate(dataSource);
			List<Long> oneTask = new ArrayList<>();
			List<Long> taskPerKey = new ArrayList<>();
			List<Long> apply = new ArrayList<>();
			int encodedBytes = 0;
			for (int round = 1; round <= rounds; round++) {
				AnalyticsBatch batch = batch(keys);
				long start = System.nanoTime();
				queue.enqueue(batch);
				oneTask.add(System.nanoTime() - start);
				encodedBytes = codec.encode(batch).length;
				start = System.nanoTime();
				store.apply(batch);
				apply.add(System.nanoTime() - start);
				clear(jdbc);

				AnalyticsBatch perKey = batch(keys);
				start = System.nanoTime();
				for (UsageCount<ApiUsageKey> count : perKey.apiUsage()) {
					queue.enqueue(new AnalyticsBatch(UUID.randomUUID(), perKey.createdAt(), "shutdown",
							List.of(count), List.of()));
				}
				taskPerKey.add(System.nanoTime() - start);
				clear(jdbc);
				System.out.printf(Locale.ROOT, "round %d: one task %d ms, one task per key %d ms, apply %d ms%n",
						round, oneTask.get(round - 1) / 1_000_000, taskPerKey.get(round - 1) / 1_000_000,
						apply.get(round - 1) / 1_000_000);
			}
			long oneTaskMedian = Rounds.median(oneTask);
			long perKeyMedian = Rounds.median(taskPerKey);
			String line = String.format(Locale.ROOT,
					"%d keys: one task %.1f ms (%d bytes), one task per key %.1f ms, ratio %.0fx; "
							+ "applying the one batch %.1f ms (medians of %d rounds)",
					keys, oneTaskMedian / 1e6, encodedBytes, perKeyMedian / 1e6, (double) perKeyMedian / oneTaskMedian,
					Rounds.median(apply) / 1e6, rounds);
			System.out.println(line);
			if (json != null) {
				Files.writeString(json, String.format(Locale.ROOT,
						"{\"keys\": %d, \"rounds\": %d, \"oneTaskMillis\": %.1f, \"taskPerKeyMillis\": %.1f, "
								+ "\"ratio\": %.1f, \"applyMillis\": %.1f, \"encodedBytes\": %d, "
								+ "\"oneTaskRoundsMillis\": %s, \"taskPerKeyRoundsMillis\": %s}%n",
						keys, rounds, oneTaskMedian / 1e6, perKeyMedian / 1e6, (double) perKeyMedian / oneTaskMedian,
						Rounds.median(apply) / 1e6, encodedBytes, Rounds.millis(oneTask), Rounds.millis(taskPerKey)));
			}
		}
	}

	private static AnalyticsBatch batch(int keys) {
		long minute = Instant.now().getEpochSecond() / 60;
		List<UsageCount<ApiUsageKey>> counts = new ArrayList<>(keys);
		for (int i = 0; i < keys; i++) {
			counts.add(new UsageCount<>(minute, new ApiUsageKey("flags", "host-" + (i % 8), "env-" + (i % 50),
					Labels.client("client-" + (i % 20), "1." + (i % 10), "agent-" + i)), 1 + i % 5));
		}
		return new AnalyticsBatch(UUID.randomUUID(), Instant.now(), "shutdown", counts, List.of());
	}

	private static void clear(JdbcTemplate jdbc) {
		for (String table : new String[] { AnalyticsTables.TASKS, AnalyticsTables.API_USAGE,
				AnalyticsTables.APPLIED_BATCHES }) {
			jdbc.execute("TRUNCATE " + table);
		}
	}

}
