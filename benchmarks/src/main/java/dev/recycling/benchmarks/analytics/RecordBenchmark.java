package dev.recycling.benchmarks.analytics;

import java.util.concurrent.TimeUnit;

import dev.recycling.analytics.cache.ApiUsageKey;
import dev.recycling.analytics.cache.Labels;
import dev.recycling.analytics.cache.UsageCounter;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Throughput of recording one API-usage count: the lock-free {@link UsageCounter} against a
 * map under one global lock, over 1 024 distinct keys, and over one key that every thread
 * records (the hot key of a service with one client). Each distinct key is built as several
 * equal objects, as each request builds its own. Run with {@code -t 1} and {@code -t 2}
 * (see {@code benchmarks/scenarios/jmh-record.sh}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(2)
public class RecordBenchmark {

	// key objects, each distinct key built several times: as on a server, where each request
	// builds a new key, most lookups compare equal keys that are different objects
	private static final int KEYS = 4096;

	/**
	 * How many distinct keys the records spread over.
	 */
	@Param({ "1024", "1" })
	public int distinctKeys;

	private final ApiUsageKey[] keys = new ApiUsageKey[KEYS];

	private UsageCounter<ApiUsageKey> usageCounter;

	private LockedMapCounter<ApiUsageKey> lockedMap;

	@Setup(Level.Trial)
	public void createKeys() {
		for (int i = 0; i < KEYS; i++) {
			int distinct = i % this.distinctKeys;
			this.keys[i] = new ApiUsageKey("flags", "host-" + (distinct % 4), "env-" + distinct,
					Labels.client("client-" + (distinct % 16), "1.0", "agent"));
		}
	}

	@Setup(Level.Iteration)
	public void createCaches() {
		this.usageCounter = new UsageCounter<>(100_000, System::currentTimeMillis, () -> {
		});
		this.lockedMap = new LockedMapCounter<>();
	}

	@TearDown(Level.Iteration)
	public void drain() {
		this.usageCounter.drain();
		this.lockedMap.drain();
	}

	/**
	 * A thread's position in the key table.
	 */
	@State(Scope.Thread)
	public static class Cursor {

		int next = (int) (Thread.currentThread().getId() * 7919);

	}

	@Benchmark
	public void usageCounter(Cursor cursor) {
		this.usageCounter.record(this.keys[cursor.next++ & (KEYS - 1)], 1);
	}

	@Benchmark
	public void lockedMap(Cursor cursor) {
		this.lockedMap.record(this.keys[cursor.next++ & (KEYS - 1)], 1);
	}

}
