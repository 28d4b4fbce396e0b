package dev.recycling.analytics.cache;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;
import java.util.function.LongSupplier;

import org.jspecify.annotations.Nullable;

/**
 * Counts keys in memory, lock-free, and hands the counts over to a flush without losing or
 * double-counting one.
 * <p>
 * Counts go into a <em>segment</em>: a {@link ConcurrentHashMap} of counting cells for one
 * minute. A segment is sealed (replaced by a fresh one) when the minute changes (see
 * {@link #roll()}), when it holds {@code maxKeys} keys, or when a flush drains the counter.
 * A cell is emptied exactly once, by an atomic swap with a "taken" mark: the drain takes
 * every cell of a sealed segment; a writer whose add lands on a taken cell retries in the
 * current segment, and a writer that finds its segment sealed after its add takes the cell
 * itself (unless the drain did first) and records what it took in the current segment.
 * Writers never wait and the drain never waits for a writer. A record reads no clock and
 * takes no lock: a reference read, a map read and one atomic add (and a second reference
 * read); through a {@link Handle} of its key, no map read while the key's segment is current.
 * A key that threads race for spreads its count over stripes, as a
 * {@link java.util.concurrent.atomic.LongAdder} does.
 * <p>
 * A count goes to the minute of the segment it lands in: the minute is started by
 * {@link #roll()}, so counts recorded between the clock's change and the roll go to the
 * minute before, and counts a writer carries over after a seal go to the next one. Totals
 * are exact.
 *
 * @param <K> the key type, with value equality
 * @author recycling team
 */
public final class UsageCounter<K> {

	private static final long MILLIS_PER_MINUTE = TimeUnit.MINUTES.toMillis(1);

	// a cell's value once taken; a late add keeps it negative
	private static final long TAKEN = Long.MIN_VALUE;

	// longs per stripe of a contended cell: one stripe per 128-byte line
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
		this.current = new AtomicReference<>(new Segment<>(minuteNow(), 0));
	}

	/**
	 * Add to the count of a key. Lock-free; never blocks on I/O.
	 * @param key the key
	 * @param count how much to add, zero or more
	 */
	public void record(K key, long count) {
		record(key, count, null);
	}

	/**
	 * Return a handle that records one key, for a caller that records the same key again and
	 * again (such as a memo of the last key a client's headers made): a record through it
	 * counts as {@link #record(Object, long)} does, and finds the key's cell without looking
	 * the key up (its hash and the map) while the segment it last found it in is current.
	 * @param key the key
	 * @return a handle, safe to use from any thread
	 */
	public Handle<K> handle(K key) {
		return new Handle<>(this, key);
	}

	private void record(K key, long count, @Nullable Handle<K> handle) {
		if (count <= 0) {
			if (count < 0) {
				throw new IllegalArgumentException("count must not be negative: " + count);
			}
			return;
		}
		long pending = count;
		while (true) {
			Segment<K> segment = this.current.get();
			Cell cell = (handle != null) ? handle.cellIn(segment) : null;
			if (cell == null) {
				cell = segment.counts.get(key);
				if (cell == null) {
					if (segment.counts.size() >= this.maxKeys) {
						if (seal(segment, segment.minute)) {
							this.overflowListener.run();
						}
						continue;
					}
					cell = segment.counts.computeIfAbsent(key, (k) -> new Cell());
				}
				if (handle != null) {
					handle.place(segment, cell);
				}
			}
			int place = cell.add(pending);
			if (place == Cell.LOST) {
				// taken before this add: the add went nowhere
				continue;
			}
			if (segment == this.current.get()) {
				// still current after the add, so the drain that seals it will take the cell
				return;
			}
			// sealed meanwhile: the drain may have passed this cell already, so take what was added
			long taken = cell.take(place);
			if (taken <= 0) {
				// the drain took it, with this add
				return;
			}
			pending = taken;
		}
	}

	/**
	 * Start a new minute bucket if the clock's minute is past the current one's; counts
	 * recorded from then on go to the new minute. Recording does not read the clock, so this
	 * is called when the minute changes (by {@code MinuteRoller}); a drain also starts the
	 * bucket at the clock's minute.
	 */
	public void roll() {
		Segment<K> segment = this.current.get();
		long minute = minuteNow();
		if (minute > segment.minute) {
			seal(segment, minute);
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
			Map<K, Long> counts = byMinute.computeIfAbsent(segment.minute, (minute) -> new HashMap<>());
			segment.counts.forEach((key, cell) -> {
				long taken = cell.takeAll();
				if (taken > 0) {
					counts.merge(key, taken, Long::sum);
				}
			});
		}
		List<UsageCount<K>> drained = new ArrayList<>();
		byMinute.forEach((minute, counts) -> counts
			.forEach((key, count) -> drained.add(new UsageCount<>(minute, key, count))));
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
		for (Cell cell : segment.counts.values()) {
			sum += cell.value();
		}
		return sum;
	}

	private boolean seal(Segment<K> segment, long minute) {
		if (this.current.compareAndSet(segment, new Segment<>(minute, segment.number + 1))) {
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
		return Math.min(stripes, 8);
	}

	private static final class Segment<K> {

		final long minute;

		// one more than the segment it replaced: what a handle keeps rather than the segment
		final long number;

		final ConcurrentHashMap<K, Cell> counts = new ConcurrentHashMap<>();

		Segment(long minute, long number) {
			this.minute = minute;
			this.number = number;
		}

	}

	/**
	 * Records one key of a {@link UsageCounter}, remembering the key's cell in the segment it
	 * last recorded in: while that segment is current, a record adds to the cell without
	 * looking the key up. A record through a handle counts exactly as
	 * {@link UsageCounter#record(Object, long)} does: the same cell, the same seal and carry
	 * over.
	 *
	 * @param <K> the key type
	 * @see UsageCounter#handle(Object)
	 */
	public static final class Handle<K> {

		private final UsageCounter<K> counter;

		private final K key;

		// the key's cell and the number of the segment it is in: not the segment itself, which a
		// handle kept in a memo would keep reachable, with all its keys, after a drain; a place
		// is immutable, so a thread reading another's sees it whole
		private volatile @Nullable Place place;

		Handle(UsageCounter<K> counter, K key) {
			this.counter = counter;
			this.key = key;
		}

		/**
		 * Return the key this handle records.
		 * @return the key
		 */
		public K key() {
			return this.key;
		}

		/**
		 * Add to the count of the key. Lock-free; never blocks on I/O.
		 * @param count how much to add, zero or more
		 */
		public void record(long count) {
			this.counter.record(this.key, count, this);
		}

		// the key's cell in this segment, if it was the one last found
		private @Nullable Cell cellIn(Segment<K> segment) {
			Place place = this.place;
			return (place != null && place.segment == segment.number) ? place.cell : null;
		}

		private void place(Segment<K> segment, Cell cell) {
			this.place = new Place(segment.number, cell);
		}

		private record Place(long segment, Cell cell) {
		}

	}

	/**
	 * The count of one key in one segment: a single atomic value while one thread at a time
	 * adds to it, spread over stripes (one per 128-byte line) from the first add that loses a
	 * race, as a {@link java.util.concurrent.atomic.LongAdder} does. Each place holds a count
	 * or, once taken, a negative value, and is taken at most once.
	 */
	@SuppressWarnings("serial")
	private static final class Cell extends AtomicLong {

		static final int BASE = -1;

		static final int LOST = -2;

		private static final AtomicReferenceFieldUpdater<Cell, @Nullable AtomicLongArray> SPREAD = AtomicReferenceFieldUpdater
			.newUpdater(Cell.class, AtomicLongArray.class, "stripes");

		private volatile @Nullable AtomicLongArray stripes;

		/**
		 * Add to the count.
		 * @return where the count went ({@link #BASE} or a stripe), or {@link #LOST} if that
		 * place was taken already
		 */
		@SuppressWarnings("deprecation") // Thread.threadId() is Java 19+
		int add(long count) {
			AtomicLongArray stripes = this.stripes;
			if (stripes == null) {
				long value = get();
				if (value < 0) {
					return LOST;
				}
				if (compareAndSet(value, value + count)) {
					return BASE;
				}
				stripes = spread();
			}
			int stripe = (int) (Thread.currentThread().getId() & (STRIPES - 1)) * PADDING;
			return (stripes.getAndAdd(stripe, count) < 0) ? LOST : stripe;
		}

		/**
		 * Take the count of one place, the one an add went to.
		 * @return the count, or a negative value if it was taken already
		 */
		long take(int place) {
			if (place == BASE) {
				return getAndSet(TAKEN);
			}
			// a stripe is only returned once the stripes exist
			AtomicLongArray stripes = this.stripes;
			return (stripes != null) ? stripes.getAndSet(place, TAKEN) : TAKEN;
		}

		/**
		 * Take the count of every place.
		 * @return the sum of the counts not taken before
		 */
		long takeAll() {
			long sum = Math.max(0, getAndSet(TAKEN));
			AtomicLongArray stripes = this.stripes;
			if (stripes != null) {
				for (int stripe = 0; stripe < stripes.length(); stripe += PADDING) {
					sum += Math.max(0, stripes.getAndSet(stripe, TAKEN));
				}
			}
			return sum;
		}

		/**
		 * Return the count not yet taken.
		 * @return the count, approximate while writers run
		 */
		long value() {
			long sum = Math.max(0, get());
			AtomicLongArray stripes = this.stripes;
			if (stripes != null) {
				for (int stripe = 0; stripe < stripes.length(); stripe += PADDING) {
					sum += Math.max(0, stripes.get(stripe));
				}
			}
			return sum;
		}

		private AtomicLongArray spread() {
			SPREAD.compareAndSet(this, null, new AtomicLongArray(STRIPES * PADDING));
			// set once, never unset
			return Objects.requireNonNull(this.stripes);
		}

	}

}
