package dev.recycling.analytics.flush;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import dev.recycling.analytics.cache.ApiUsageCache;
import dev.recycling.analytics.cache.FeatureEvaluationCache;
import dev.recycling.analytics.cache.Labels;
import dev.recycling.analytics.cache.UsageCounter;
import dev.recycling.analytics.spill.SpillDirectory;
import dev.recycling.analytics.task.AnalyticsBatch;
import dev.recycling.analytics.task.BatchCodec;
import dev.recycling.analytics.task.BatchFootprint;
import dev.recycling.analytics.store.AnalyticsTables;
import dev.recycling.analytics.store.JdbcAnalyticsStore;
import dev.recycling.analytics.task.BatchQueue;
import dev.recycling.analytics.task.BatchTask;
import dev.recycling.analytics.task.DbSchedulerBatchQueue;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.retry.Retry;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Run in a child JVM with a small heap by {@link OutageUnderSmallHeapTests}: records
 * high-cardinality counts with long labels while the queue is down, flushing as the
 * periodic flush would, and prints what ended where.
 * <p>
 * Arguments: the spill directory, the entries to record, and {@code bounded} or
 * {@code unbounded} (no limit on the batches in memory, to show the test can fail).
 */
final class OutageUnderSmallHeap {

	private OutageUnderSmallHeap() {
	}

	public static void main(String[] args) {
		Path spillDirectory = Path.of(args[0]);
		int entries = Integer.parseInt(args[1]);
		boolean bounded = "bounded".equals(args[2]);
		System.out.println("footprint-ratio=" + footprintRatio());
		int maxKeys = 20_000;
		ApiUsageCache apiUsage = new ApiUsageCache(new UsageCounter<>(maxKeys, System::currentTimeMillis, () -> {
		}));
		FeatureEvaluationCache evaluations = new FeatureEvaluationCache(
				new UsageCounter<>(maxKeys, System::currentTimeMillis, () -> {
				}));
		SpillDirectory spill = new SpillDirectory(spillDirectory, new BatchCodec());
		long maxHeap = Runtime.getRuntime().maxMemory();
		AnalyticsFlusher flusher = new AnalyticsFlusher(apiUsage, evaluations, downDatabase(), spill,
				CircuitBreaker.ofDefaults("down"), Retry.ofDefaults("down"),
				bounded ? Math.max(1 << 20, maxHeap / 20) : Long.MAX_VALUE, Clock.systemUTC(), UUID::randomUUID,
				(result) -> {
				});
		for (int i = 0; i < entries; i++) {
			apiUsage.record("flags", "host-" + (i % 7), "env", labels(i));
			if ((i + 1) % maxKeys == 0) {
				flusher.flush(FlushTrigger.PERIODIC);
			}
		}
		flusher.flush(FlushTrigger.PERIODIC);
		System.out.println("in-memory-bytes=" + flusher.pendingBytes() + " max-heap=" + maxHeap);
		FlushResult last = flusher.flushAtShutdown(Duration.ofSeconds(2));
		long spilled = 0;
		for (Path file : spill.files()) {
			spilled += spill.read(file).batch().apiUsageTotal();
		}
		System.out.println("recorded=" + entries + " spilled=" + spilled + " lost=" + last.countsLost());
	}

	static Labels labels(int i) {
		return Labels.client("client-application-" + i, "version-" + (i % 100) + "." + i,
				"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Safari/537.36 id-"
						+ i);
	}

	// the estimate against the heap the same batches really hold, measured after full collections
	private static double footprintRatio() {
		ApiUsageCache cache = new ApiUsageCache(new UsageCounter<>(1_000_000, System::currentTimeMillis, () -> {
		}));
		long before = usedAfterGc();
		List<AnalyticsBatch> batches = new ArrayList<>();
		for (int round = 0; round < 5; round++) {
			for (int i = 0; i < 10_000; i++) {
				cache.record("flags", "host-" + (i % 7), "env", labels(round * 10_000 + i));
			}
			batches.add(new AnalyticsBatch(UUID.randomUUID(), Clock.systemUTC().instant(), "periodic", cache.drain(),
					List.of()));
		}
		long real = usedAfterGc() - before;
		long estimate = batches.stream().mapToLong(BatchFootprint::of).sum();
		System.out.println("footprint estimate=" + estimate + " real=" + real);
		return (double) estimate / real;
	}

	private static long usedAfterGc() {
		for (int i = 0; i < 3; i++) {
			System.gc();
		}
		return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
	}

	// a real queue on a PostgreSQL port nobody listens on: every connection is refused
	private static BatchQueue downDatabase() {
		int port;
		try (ServerSocket socket = new ServerSocket(0)) {
			port = socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		PGSimpleDataSource dataSource = new PGSimpleDataSource();
		dataSource.setURL("jdbc:postgresql://127.0.0.1:" + port + "/postgres?user=postgres");
		BatchCodec codec = new BatchCodec();
		BatchTask task = new BatchTask(codec, new JdbcAnalyticsStore(dataSource), Duration.ofSeconds(1),
				Duration.ofSeconds(1));
		return new DbSchedulerBatchQueue(dataSource, AnalyticsTables.TASKS, task, codec, () -> {
		}, Clock.systemUTC()::instant);
	}

}
