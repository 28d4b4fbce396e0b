package dev.recycling.benchmarks.analytics;

import java.nio.file.Files;
import java.nio.file.Path;
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
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import org.springframework.boot.sql.init.DatabaseInitializationMode;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Applying one batch of {@code --keys} counts into aggregate tables that already hold
 * {@code --rows} rows (and as many applied batch ids), against the same into empty tables,
 * alternating in the same run on one real PostgreSQL (embedded binaries, fsync on). Each
 * batch is a new minute, as in production: its rows are inserts next to the old minutes.
 * <p>
 * Usage: {@code ApplyAtVolumeBenchmark [--keys 5000] [--rows 1000000] [--rounds 5] [--json file]}
 */
public final class ApplyAtVolumeBenchmark {

	private ApplyAtVolumeBenchmark() {
	}

	public static void main(String[] args) throws Exception {
		int keys = 5_000;
		int rows = 1_000_000;
		int rounds = 5;
		Path json = null;
		for (int i = 0; i < args.length; i++) {
			switch (args[i]) {
				case "--keys" -> keys = Integer.parseInt(args[++i]);
				case "--rows" -> rows = Integer.parseInt(args[++i]);
				case "--rounds" -> rounds = Integer.parseInt(args[++i]);
				case "--json" -> json = Path.of(args[++i]);
				default -> throw new IllegalArgumentException("Unknown option " + args[i]
						+ "; use --keys N, --rows N, --rounds N, --json FILE");
			}
		}
		try (EmbeddedPostgres postgres = Rounds.startPostgres()) {
			JdbcTemplate admin = new JdbcTemplate(postgres.getPostgresDatabase());
			admin.execute("CREATE DATABASE empty_tables");
			admin.execute("CREATE DATABASE full_tables");
			try (HikariDataSource empty = Rounds.pool(postgres, "empty_tables", 2);
					HikariDataSource full = Rounds.pool(postgres, "full_tables", 2)) {
				for (HikariDataSource dataSource : List.of(empty, full)) {
					new AnalyticsSchemaInitializer(dataSource, DatabaseInitializationMode.ALWAYS).initializeDatabase();
				}
				long fillStart = System.nanoTime();
				fill(new JdbcTemplate(full), rows);
				System.out.printf(Locale.ROOT, "filled %d rows and %d applied batch ids in %d ms%n", rows, rows,
						(System.nanoTime() - fillStart) / 1_000_000);
				JdbcAnalyticsStore emptyStore = new JdbcAnalyticsStore(empty);
				JdbcAnalyticsStore fullStore = new JdbcAnalyticsStore(full);
				// one round each to warm the JIT and the connections, not measured
				emptyStore.apply(batch(keys, 0));
				fullStore.apply(batch(keys, 0));
				List<Long> intoEmpty = new ArrayList<>();
				List<Long> intoFull = new ArrayList<>();
				for (int round = 1; round <= rounds; round++) {
					new JdbcTemplate(empty).execute("TRUNCATE " + AnalyticsTables.API_USAGE + ", "
							+ AnalyticsTables.APPLIED_BATCHES);
					boolean fullFirst = round % 2 == 0;
					if (fullFirst) {
						intoFull.add(timeApply(fullStore, batch(keys, round)));
					}
					intoEmpty.add(timeApply(emptyStore, batch(keys, round)));
					if (!fullFirst) {
						intoFull.add(timeApply(fullStore, batch(keys, round)));
					}
					System.out.printf(Locale.ROOT, "round %d: empty tables %d ms, %d rows %d ms%n", round,
							intoEmpty.get(round - 1) / 1_000_000, rows, intoFull.get(round - 1) / 1_000_000);
				}
				long emptyMedian = Rounds.median(intoEmpty);
				long fullMedian = Rounds.median(intoFull);
				String line = String.format(Locale.ROOT,
						"applying %d keys: %.1f ms into tables of %d rows, %.1f ms into empty tables, ratio %.2f "
								+ "(medians of %d rounds)",
						keys, fullMedian / 1e6, rows, emptyMedian / 1e6, (double) fullMedian / emptyMedian, rounds);
				System.out.println(line);
				if (json != null) {
					Files.writeString(json, String.format(Locale.ROOT,
							"{\"keys\": %d, \"rows\": %d, \"rounds\": %d, \"fullMillis\": %.1f, \"emptyMillis\": %.1f, "
									+ "\"ratio\": %.2f, \"fullRoundsMillis\": %s, \"emptyRoundsMillis\": %s}%n",
							keys, rows, rounds, fullMedian / 1e6, emptyMedian / 1e6, (double) fullMedian / emptyMedian,
							Rounds.millis(intoFull), Rounds.millis(intoEmpty)));
				}
			}
		}
	}

	// past minutes of a fleet: 50 environments, 8 hosts, 1 000 label sets, and the ids of
	// as many applied batches
	private static void fill(JdbcTemplate jdbc, int rows) {
		jdbc.update("INSERT INTO " + AnalyticsTables.API_USAGE + " (bucket_start, environment_key, resource, host, "
				+ "labels_hash, labels, request_count) SELECT date_trunc('minute', now()) - (g / 400 + 1) * "
				+ "interval '1 minute', 'env-' || (g % 50), 'flags', 'host-' || (g % 8), "
				+ "md5('labels-' || (g % 1000)) || md5('more-' || (g % 1000)), '{\"client\":\"c' || (g % 1000) || '\"}', "
				+ "1 + g % 5 FROM generate_series(1, ?) AS g", rows);
		jdbc.update("INSERT INTO " + AnalyticsTables.APPLIED_BATCHES
				+ " (batch_id, applied_at, api_entries, evaluation_entries) SELECT gen_random_uuid()::text, now() - "
				+ "(g * interval '1 second'), 400, 0 FROM generate_series(1, ?) AS g", rows);
		jdbc.execute("ANALYZE");
	}

	private static long timeApply(JdbcAnalyticsStore store, AnalyticsBatch batch) {
		long start = System.nanoTime();
		store.apply(batch);
		return System.nanoTime() - start;
	}

	// a minute of its own per round, later than every filled row
	private static AnalyticsBatch batch(int keys, int round) {
		long minute = Instant.now().getEpochSecond() / 60 + 1 + round;
		List<UsageCount<ApiUsageKey>> counts = new ArrayList<>(keys);
		for (int i = 0; i < keys; i++) {
			counts.add(new UsageCount<>(minute, new ApiUsageKey("flags", "host-" + (i % 8), "env-" + (i % 50),
					Labels.client("client-" + (i % 20), "1." + (i % 10), "agent-" + i)), 1 + i % 5));
		}
		return new AnalyticsBatch(UUID.randomUUID(), Instant.now(), "periodic", counts, List.of());
	}

}
