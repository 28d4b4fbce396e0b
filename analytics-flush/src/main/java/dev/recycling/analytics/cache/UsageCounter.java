package dev.recycling.analytics.cache;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * Counts keys in memory, lock-free, and hands the counts over to a flush without losing or
 * double-counting one.
 * <p>
 * Counts go into a <em>segment</em>: a {@link ConcurrentHashMap} of {@link LongAdder}s for
 * one minute. A segment is sealed (replaced by a fresh one) when the minute changes, when it
 * holds {@code maxKeys} keys, or when a flush drains the counter. A writer announces itself
 * on a striped in-flight counter of the segment before it touches the map and re-checks that
 * the segment is still current; {@link #drain()} waits until every sealed segment has no
 * writer left before it reads it. Writers never wait: a writer that finds its segment sealed
 * retries in the current one.
 *
 * @param <K> the key type, with value equality
 * @author recycling team
 */
public final class UsageCounter<K> {

	private static final long MILLIS_PER_MINUTE = TimeUnit.MINUTES.toMillis(1);

	// longs per stripe: one stripe per 128-byte line, so writers on other stripes do not share it
	private static final int PADDING = 16;

	private static final int STRIPES = stripes();

	private final int maxKeys;

	private final LongSupplier clock;

	private final Runnable overflowListener;

	private final AtomicReference<Segment<K>> current;

	private final ConcurrentLinkedQueue<Segment<K>> sealed = new ConcurrentLinkedQueue<>();

	/**
	 * Create a counter.
	 * @param maxKeys most keys in the current segment; one more seals it and asks for a flush
	 * @param clock the wall clock in epoch milliseconds, for the minute buckets
	 * @param overflowListener told, without blocking, that a full segment was sealed
	 */
	public UsageCounter(int maxKeys, LongSupplier clock, Runnable overflowListener) {
		if (maxKeys < 1) {
			throw new IllegalArgumentException("maxKeys must be positive");
		}
		this.maxKeys = maxKeys;
		this.clock = clock;
		this.overflowListener = overflowListener;
		this.current = new AtomicReference<>(new Segment<>(minuteNow()));
	}

	/**
	 * Add to the count of a key. Lock-free; never blocks on I/O.
	 * @param key the key
	 * @param count how much to add, zero or more
	 */
	public void record(K key, long count) {
		if (count <= 0) {
			if (count < 0) {
				throw new IllegalArgumentException("count must not be negative: " + count);
			}
			return;
		}
		long minute = minuteNow();
		while (true) {
			Segment<K> segment = this.current.get();
			if (minute > segment.minute) {
				seal(segment, minute);
				continue;
			}
			int stripe = segment.enter();
			try {
				if (segment != this.current.get()) {
					continue;
				}
				LongAdder adder = segment.counts.get(key);
				if (adder == null) {
					if (segment.counts.size() >= this.maxKeys) {
						if (seal(segment, segment.minute)) {
							this.overflowListener.run();
						}
						continue;
					}
					adder = segment.counts.computeIfAbsent(key, (k) -> new LongAdder());
				}
				adder.add(count);
				return;
			}
			finally {
				segment.exit(stripe);
			}
		}
	}

	/**
	 * Take every count out: seal the current segment and return the counts of all sealed
	 * segments, merged by minute and key. Counts recorded after the seal go to the next
	 * drain.
	 * @return the counts, empty if nothing was recorded
	 */
	public synchronized List<UsageCount<K>> drain() {
		Segment<K> live = this.current.get();
		while (!seal(live, Math.max(live.minute, minuteNow()))) {
			live = this.current.get();
		}
		Map<Long, Map<K, Long>> byMinute = new HashMap<>();
		Segment<K> segment;
		while ((segment = this.sealed.poll()) != null) {
			segment.awaitNoWriters();
			Map<K, Long> counts = byMinute.computeIfAbsent(segment.minute, (minute) -> new HashMap<>());
			segment.counts.forEach((key, adder) -> counts.merge(key, adder.sum(), Long::sum));
		}
		List<UsageCount<K>> drained = new ArrayList<>();
		byMinute.forEach((minute, counts) -> counts.forEach((key, count) -> {
			if (count > 0) {
				drained.add(new UsageCount<>(minute, key, count));
			}
		}));
		return drained;
	}

	/**
	 * Return how many keys are held, in the current and the sealed segments.
	 * @return the number of keys, approximate while writers run
	 */
	public long keys() {
		long keys = this.current.get().counts.mappingCount();
		for (Segment<K> segment : this.sealed) {
			keys += segment.counts.mappingCount();
		}
		return keys;
	}

	// keys of the segment being written: bounded by maxKeys plus one racing insert per writer
	long liveKeys() {
		return this.current.get().counts.mappingCount();
	}

	/**
	 * Return the sum of all counts held.
	 * @return the total, approximate while writers run
	 */
	public long total() {
		long total = sum(this.current.get());
		for (Segment<K> segment : this.sealed) {
			total += sum(segment);
		}
		return total;
	}

	private static long sum(Segment<?> segment) {
		long sum = 0;
		for (LongAdder adder : segment.counts.values()) {
			sum += adder.sum();
		}
		return sum;
	}

	private boolean seal(Segment<K> segment, long minute) {
		if (this.current.compareAndSet(segment, new Segment<>(minute))) {
			this.sealed.add(segment);
			return true;
		}
		return false;
	}

	private long minuteNow() {
		return Math.floorDiv(this.clock.getAsLong(), MILLIS_PER_MINUTE);
	}

	private static int stripes() {
		int stripes = Integer.highestOneBit(Math.max(1, Runtime.getRuntime().availableProcessors()) * 2 - 1) * 2;
		return Math.min(stripes, 64);
	}

	private static final class Segment<K> {

		final long minute;

		final ConcurrentHashMap<K, LongAdder> counts = new ConcurrentHashMap<>();

		// writers inside this segment, per stripe; each writer enters and exits the same stripe
		private final AtomicLongArray writers = new AtomicLongArray(STRIPES * PADDING);

		Segment(long minute) {
			this.minute = minute;
		}

		@SuppressWarnings("deprecation") // Thread.threadId() is Java 19+
		int enter() {
			int stripe = (int) (Thread.currentThread().getId() & (STRIPES - 1)) * PADDING;
			this.writers.incrementAndGet(stripe);
			return stripe;
		}

		void exit(int stripe) {
			this.writers.decrementAndGet(stripe);
		}

		/**
		 * Wait until no writer is inside. Called only once the segment is sealed: a writer
		 * that enters later sees that it is no longer current and leaves without writing.
		 */
		void awaitNoWriters() {
			for (int stripe = 0; stripe < STRIPES * PADDING; stripe += PADDING) {
				int spins = 0;
				while (this.writers.get(stripe) != 0) {
					if (++spins < 100) {
						Thread.onSpinWait();
					}
					else {
						LockSupport.parkNanos(50_000);
					}
				}
			}
		}

	}

}
