package dev.recycling.analytics.cache;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link UsageCounter}: exact totals under concurrent writers and drains, the key
 * bound, and the minute buckets.
 */
class UsageCounterTests {

	private static final long MINUTE = 60_000;

	@Test
	void drainReturnsCountsByMinuteAndKeyAndEmptiesTheCounter() {
		AtomicLong now = new AtomicLong(10 * MINUTE + 5);
		UsageCounter<String> counter = new UsageCounter<>(100, now::get, () -> {
		});
		counter.record("a", 1);
		counter.record("a", 2);
		counter.record("b", 1);
		counter.roll();
		counter.record("b", 1);
		now.set(11 * MINUTE);
		counter.record("b", 2);
		counter.roll();
		counter.record("a", 4);
		assertThat(counter.total()).isEqualTo(11);
		// the minute changes when the counter is rolled, not when the clock does
		assertThat(counter.drain()).containsExactlyInAnyOrder(new UsageCount<>(10, "a", 3),
				new UsageCount<>(10, "b", 4), new UsageCount<>(11, "a", 4));
		assertThat(counter.drain()).isEmpty();
		assertThat(counter.keys()).isZero();
		// a drain starts the next bucket at the clock's minute
		now.set(12 * MINUTE + 1);
		counter.drain();
		counter.record("c", 1);
		assertThat(counter.drain()).containsExactly(new UsageCount<>(12, "c", 1));
	}

	@Test
	void zeroIsIgnoredAndNegativeCountsAreRejected() {
		UsageCounter<String> counter = new UsageCounter<>(10, System::currentTimeMillis, () -> {
		});
		counter.record("a", 0);
		assertThat(counter.drain()).isEmpty();
		assertThatIllegalArgumentException().isThrownBy(() -> counter.record("a", -1)).withMessageContaining("-1");
	}

	@Test
	void concurrentWritersAndRepeatedDrainsLoseAndDuplicateNothing() throws Exception {
		assertExactWhileDrainsRace(50, false);
	}

	@Test
	void oneKeyThatEveryWriterRacesForIsCountedExactly() throws Exception {
		// every add after the first lost race goes to the key's stripes
		assertExactWhileDrainsRace(1, false);
	}

	@Test
	void writersThroughSharedHandlesAndRepeatedDrainsLoseAndDuplicateNothing() throws Exception {
		// half the writers through handles that all of them share, half by key
		assertExactWhileDrainsRace(50, true);
		assertExactWhileDrainsRace(1, true);
	}

	@Test
	void aHandleCountsInTheMinuteAndSegmentCurrentAtEachRecord() {
		AtomicLong now = new AtomicLong(10 * MINUTE);
		AtomicInteger overflows = new AtomicInteger();
		UsageCounter<String> counter = new UsageCounter<>(2, now::get, overflows::incrementAndGet);
		UsageCounter.Handle<String> a = counter.handle("a");
		assertThat(a.key()).isEqualTo("a");
		a.record(1);
		counter.record("a", 2);
		a.record(0);
		now.set(11 * MINUTE);
		counter.roll();
		a.record(4);
		assertThat(counter.drain()).containsExactlyInAnyOrder(new UsageCount<>(10, "a", 3),
				new UsageCount<>(11, "a", 4));
		// after a drain, in the next segment
		a.record(5);
		assertThat(counter.total()).isEqualTo(5);
		// a full segment sealed by another key: the handle's next record goes to the new one
		counter.record("b", 1);
		counter.record("c", 1);
		assertThat(overflows).hasValue(1);
		a.record(6);
		assertThat(counter.drain()).containsExactlyInAnyOrder(new UsageCount<>(11, "a", 11),
				new UsageCount<>(11, "b", 1), new UsageCount<>(11, "c", 1));
		assertThatIllegalArgumentException().isThrownBy(() -> a.record(-1)).withMessageContaining("-1");
	}

	private void assertExactWhileDrainsRace(int keys, boolean throughHandles) throws Exception {
		int writers = 8;
		int recordsPerWriter = 200_000;
		UsageCounter<Integer> counter = new UsageCounter<>(1_000, System::currentTimeMillis, () -> {
		});
		List<UsageCounter.Handle<Integer>> handles = new ArrayList<>();
		for (int key = 0; key < keys; key++) {
			handles.add(counter.handle(key));
		}
		ExecutorService pool = Executors.newFixedThreadPool(writers);
		CountDownLatch start = new CountDownLatch(1);
		List<Future<?>> running = new ArrayList<>();
		for (int writer = 0; writer < writers; writer++) {
			int offset = writer;
			boolean handle = throughHandles && writer % 2 == 0;
			running.add(pool.submit(() -> {
				start.await();
				for (int i = 0; i < recordsPerWriter; i++) {
					int key = (i + offset) % keys;
					if (handle) {
						handles.get(key).record(1 + (i % 3));
					}
					else {
						counter.record(key, 1 + (i % 3));
					}
				}
				return null;
			}));
		}
		long expected = 0;
		for (int i = 0; i < recordsPerWriter; i++) {
			expected += 1 + (i % 3);
		}
		expected *= writers;
		long drained = 0;
		int drains = 0;
		start.countDown();
		// bounded: a writer that cannot place its count (a lost cell it keeps retrying) fails the
		// test instead of hanging it
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
		while (!running.stream().allMatch(Future::isDone) && System.nanoTime() < deadline) {
			drained += counter.drain().stream().mapToLong(UsageCount::count).sum();
			drains++;
		}
		for (Future<?> writer : running) {
			writer.get(1, TimeUnit.SECONDS);
		}
		drained += counter.drain().stream().mapToLong(UsageCount::count).sum();
		pool.shutdownNow();
		assertThat(drains).as("drains that raced the writers").isGreaterThan(10);
		assertThat(drained).isEqualTo(expected);
	}

	@Test
	void aMillionDistinctLabelsStayWithinTheKeyBoundAndAreAllCounted() throws Exception {
		int maxKeys = 10_000;
		int writers = 4;
		int keysPerWriter = 250_000;
		AtomicInteger overflows = new AtomicInteger();
		AtomicLong drained = new AtomicLong();
		AtomicLong mostLiveKeys = new AtomicLong();
		UsageCounter<ApiUsageKey> counter = new UsageCounter<>(maxKeys, System::currentTimeMillis,
				overflows::incrementAndGet);
		AtomicBoolean writing = new AtomicBoolean(true);
		// the flusher's part: drain whenever asked, as the early flush does
		Thread flusher = new Thread(() -> {
			while (writing.get() || counter.keys() > 0) {
				mostLiveKeys.accumulateAndGet(counter.liveKeys(), Math::max);
				drained.addAndGet(counter.drain().stream().mapToLong(UsageCount::count).sum());
			}
		});
		flusher.start();
		ExecutorService pool = Executors.newFixedThreadPool(writers);
		List<Future<?>> running = new ArrayList<>();
		for (int writer = 0; writer < writers; writer++) {
			int first = writer * keysPerWriter;
			running.add(pool.submit(() -> {
				for (int i = first; i < first + keysPerWriter; i++) {
					counter.record(new ApiUsageKey("flags", "host", "env",
							Labels.client("app", "1.0", "agent-" + i)), 1);
				}
			}));
		}
		for (Future<?> writer : running) {
			writer.get();
		}
		writing.set(false);
		flusher.join(TimeUnit.MINUTES.toMillis(1));
		pool.shutdown();
		assertThat(drained.get()).isEqualTo((long) writers * keysPerWriter);
		assertThat(overflows.get()).as("early flushes asked for").isGreaterThan(0);
		assertThat(counter.keys()).isZero();
		assertThat(mostLiveKeys.get()).isPositive().isLessThanOrEqualTo(maxKeys + writers);
	}

	@Test
	void labelsAreNormalizedSoThatEqualLabelsAreOneKey() {
		UsageCounter<ApiUsageKey> counter = new UsageCounter<>(10, System::currentTimeMillis, () -> {
		});
		counter.record(new ApiUsageKey(" flags ", "h", "env", Labels.client(" app ", "1", null)), 1);
		counter.record(new ApiUsageKey("flags", "h", "env", Labels.client("app", "1", "")), 1);
		assertThat(counter.drain()).singleElement().extracting(UsageCount::count).isEqualTo(2L);
	}

}
