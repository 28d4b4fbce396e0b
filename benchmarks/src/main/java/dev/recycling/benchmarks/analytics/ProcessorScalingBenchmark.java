package dev.recycling.benchmarks.analytics;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.function.IntFunction;

import com.zaxxer.hikari.HikariDataSource;
import dev.recycling.analytics.cache.ApiUsageKey;
import dev.recycling.analytics.cache.Labels;
import dev.recycling.analytics.cache.UsageCount;
import dev.recycling.analytics.store.AnalyticsSchemaInitializer;
import dev.recycling.analytics.store.AnalyticsTables;
import dev.recycling.analytics.store.JdbcAnalyticsStore;
import dev.recycling.analytics.task.AnalyticsBatch;
import dev.recycling.analytics.task.BatchCodec;
import dev.recycling.analytics.task.BatchProcessor;
import dev.recycling.analytics.task.BatchTask;
import dev.recycling.analytics.task.DbSchedulerBatchQueue;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import org.springframework.boot.sql.init.DatabaseInitializationMode;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * Batches applied per second by one, two and three processors (each its own db-scheduler
 * with its own connection pool, as on three instances of a fleet) racing for one queue of
 * {@code --batches} batches of {@code --keys} counts on one real PostgreSQL. The counts
 * applied are checked against the counts enqueued after every round: a batch applied twice
 * or never fails the run.
 * <p>
 * Usage: {@code ProcessorScalingBenchmark [--batches 600] [--keys 200] [--rounds 3] [--json file]
 * [--server jdbc:postgresql://127.0.0.1:PORT/postgres]}: on its own embedded PostgreSQL, or in a
 * new database {@code scaling} of a running server (the fleet scenario's, as user
 * {@code postgres}).
 */
public final class ProcessorScalingBenchmark {

	private static final int MAX_PROCESSORS = 3;

	private ProcessorScalingBenchmark() {
	}

	public static void main(String[] args) throws Exception {
		int batches = 600;
		int keys = 200;
		int rounds = 3;
		Path json = null;
		String server = null;
		for (int i = 0; i < args.length; i++) {
			switch (args[i]) {
				case "--server" -> server = args[++i];
				case "--batches" -> batches = Integer.parseInt(args[++i]);
				case "--keys" -> keys = Integer.parseInt(args[++i]);
				case "--rounds" -> rounds = Integer.parseInt(args[++i]);
				case "--json" -> json = Path.of(args[++i]);
				default -> throw new IllegalArgumentException("Unknown option " + args[i]
						+ "; use --batches N, --keys N, --rounds N, --json FILE, --server JDBC_URL");
			}
		}
		Map<Integer, List<Long>> times;
		if (server != null) {
			new JdbcTemplate(new DriverManagerDataSource(server, "postgres", "")).execute("CREATE DATABASE scaling");
			String url = server.substring(0, server.lastIndexOf('/') + 1) + "scaling";
			times = measure((size) -> Rounds.pool(url, size), batches, keys, rounds);
		}
		else {
			try (EmbeddedPostgres postgres = Rounds.startPostgres()) {
				new JdbcTemplate(postgres.getPostgresDatabase()).execute("CREATE DATABASE scaling");
				times = measure((size) -> Rounds.pool(postgres, "scaling", size), batches, keys, rounds);
			}
		}
		double one = batches / (Rounds.median(times.get(1)) / 1e9);
		StringBuilder line = new StringBuilder(String.format(Locale.ROOT,
				"%d batches of %d keys, medians of %d rounds:", batches, keys, rounds));
		StringBuilder jsonRates = new StringBuilder();
		for (int processors = 1; processors <= MAX_PROCESSORS; processors++) {
			double rate = batches / (Rounds.median(times.get(processors)) / 1e9);
			line.append(String.format(Locale.ROOT, " %d processor(s) %.0f batches/s (x%.2f)%s", processors, rate,
					rate / one, (processors < MAX_PROCESSORS) ? ";" : ""));
			jsonRates.append(String.format(Locale.ROOT, "%s\"%d\": {\"batchesPerSecond\": %.1f, \"ratio\": %.2f, "
					+ "\"roundsMillis\": %s}", (processors > 1) ? ", " : "", processors, rate, rate / one,
					Rounds.millis(times.get(processors))));
		}
		System.out.println(line);
		if (json != null) {
			Files.writeString(json, String.format(Locale.ROOT,
					"{\"batches\": %d, \"keys\": %d, \"rounds\": %d, \"cores\": %d, \"processors\": {%s}}%n", batches, keys,
					rounds, Runtime.getRuntime().availableProcessors(), jsonRates));
		}
	}

	private static Map<Integer, List<Long>> measure(IntFunction<HikariDataSource> pools, int batches, int keys,
			int rounds) throws InterruptedException {
		Map<Integer, List<Long>> times = new LinkedHashMap<>();
		List<HikariDataSource> opened = new ArrayList<>();
		for (int i = 0; i <= MAX_PROCESSORS; i++) {
			opened.add(pools.apply(4));
		}
		try {
			HikariDataSource queuePool = opened.get(0);
			new AnalyticsSchemaInitializer(queuePool, DatabaseInitializationMode.ALWAYS).initializeDatabase();
			BatchCodec codec = new BatchCodec();
			DbSchedulerBatchQueue queue = new DbSchedulerBatchQueue(queuePool, AnalyticsTables.TASKS,
					task(codec, queuePool), codec, () -> {
					}, Clock.systemUTC()::instant);
			// a warm-up round with every processor, not measured
			drain(queue, opened, MAX_PROCESSORS, Math.max(1, batches / 5), keys, codec);
			for (int round = 1; round <= rounds; round++) {
				// the order turns each round, so that no count of processors always goes first
				for (int k = 0; k < MAX_PROCESSORS; k++) {
					int processors = 1 + (k + round - 1) % MAX_PROCESSORS;
					long nanos = drain(queue, opened, processors, batches, keys, codec);
					times.computeIfAbsent(processors, (p) -> new ArrayList<>()).add(nanos);
					System.out.printf(Locale.ROOT, "round %d: %d processor(s) applied %d batches in %d ms (%.0f/s)%n",
							round, processors, batches, nanos / 1_000_000, batches / (nanos / 1e9));
				}
			}
		}
		finally {
			opened.forEach(HikariDataSource::close);
		}
		return times;
	}

	private static BatchTask task(BatchCodec codec, HikariDataSource pool) {
		return new BatchTask(codec, new JdbcAnalyticsStore(pool), Duration.ofSeconds(1), Duration.ofSeconds(10));
	}

	// enqueue with no processor running, then start them together and time until the queue is empty
	private static long drain(DbSchedulerBatchQueue queue, List<HikariDataSource> pools, int processors, int batches,
			int keys, BatchCodec codec) throws InterruptedException {
		JdbcTemplate jdbc = new JdbcTemplate(pools.get(0));
		jdbc.execute("TRUNCATE " + AnalyticsTables.API_USAGE + ", " + AnalyticsTables.APPLIED_BATCHES);
		for (int i = 0; i < batches; i++) {
			queue.enqueue(batch(keys, i));
		}
		List<BatchProcessor> running = new ArrayList<>();
		long start = System.nanoTime();
		for (int p = 1; p <= processors; p++) {
			BatchProcessor processor = new BatchProcessor(pools.get(p), AnalyticsTables.TASKS, task(codec, pools.get(p)),
					Duration.ofMillis(100), 1, Duration.ofSeconds(10));
			processor.start();
			running.add(processor);
		}
		while (queue.pendingBatches() > 0) {
			Thread.sleep(20);
		}
		long nanos = System.nanoTime() - start;
		running.forEach(BatchProcessor::stop);
		Long applied = jdbc.queryForObject("SELECT COALESCE(SUM(request_count), 0) FROM " + AnalyticsTables.API_USAGE,
				Long.class);
		long expected = (long) batches * keys;
		if (applied == null || applied != expected) {
			throw new IllegalStateException("Applied " + applied + " counts, expected " + expected + " with "
					+ processors + " processors");
		}
		return nanos;
	}

	// one count per key: a minute and a client of their own per batch
	private static AnalyticsBatch batch(int keys, int number) {
		long minute = Instant.now().getEpochSecond() / 60 + number;
		List<UsageCount<ApiUsageKey>> counts = new ArrayList<>(keys);
		for (int i = 0; i < keys; i++) {
			counts.add(new UsageCount<>(minute, new ApiUsageKey("flags", "host-" + (i % 8), "env-" + (i % 50),
					Labels.client("client-" + (i % 20), "1." + (i % 10), "agent-" + i)), 1));
		}
		return new AnalyticsBatch(UUID.randomUUID(), Instant.now(), "periodic", counts, List.of());
	}

}
