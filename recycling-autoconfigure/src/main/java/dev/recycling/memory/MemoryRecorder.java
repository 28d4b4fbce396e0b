package dev.recycling.memory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongFunction;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import dev.recycling.trigger.GenerationStats;
import dev.recycling.support.Durations;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records the memory of one generation: once it is warm (a number of requests or an age,
 * whichever comes first), after every collection and check while it serves, and when it
 * ends; then judges whether it leaked.
 * <p>
 * {@link #checkWarmUp()} runs off the request path about every second, so that even a
 * generation of a few seconds gets its warm-up snapshot; {@link #check()} every few seconds;
 * {@link #collected()} after each garbage collection; {@link #end()} once, as the
 * generation starts to close. A generation that ends before it is warm gets no verdict, and
 * {@link #noVerdictReason()} says why and what to change. With
 * class histograms on, one is taken just before the warm-up snapshot and one just before
 * the end snapshot; each is a full collection, so those two snapshots hold the exact live
 * heap.
 *
 * @author recycling team
 */
public final class MemoryRecorder {

	private static final Logger logger = LoggerFactory.getLogger(MemoryRecorder.class);

	/** Samples kept at most; past it, every other one is dropped and sampling slows down. */
	static final int MAX_SAMPLES = 256;

	private final LongFunction<MemorySnapshot> snapshots;

	private @Nullable Supplier<ClassHistogram> histograms;

	private final GenerationStats stats;

	private final long warmUpRequests;

	private final long warmUpNanos;

	private final LongSupplier nanoClock;

	private final long startNanos;

	private final List<MemorySnapshot> samples = new ArrayList<>();

	private int stride = 1;

	private volatile long lastHeapAfterGc = -1;

	// whether the last collection (or histogram) collected the whole heap
	private volatile boolean lastWholeHeap;

	private int checksSinceSample;

	private @Nullable ClassHistogram histogramAtStart;

	private volatile @Nullable ClassHistogram histogramAtEnd;

	private volatile @Nullable MemorySnapshot atStart;

	private volatile @Nullable MemorySnapshot atEnd;

	private volatile @Nullable LeakVerdict verdict;

	private volatile @Nullable String noVerdictReason;

	private final Duration warmUp;

	/**
	 * Create the recorder of a generation that starts now.
	 * @param snapshots takes a snapshot, given the requests completed so far
	 * @param histograms takes a class histogram, or {@code null} for none
	 * @param stats the generation's counters
	 * @param warmUpRequests requests after which the generation is warm
	 * @param warmUp age after which the generation is warm
	 * @param nanoClock the monotonic clock
	 */
	public MemoryRecorder(LongFunction<MemorySnapshot> snapshots, @Nullable Supplier<ClassHistogram> histograms,
			GenerationStats stats, long warmUpRequests, Duration warmUp, LongSupplier nanoClock) {
		this.snapshots = snapshots;
		this.histograms = histograms;
		this.stats = stats;
		this.warmUpRequests = warmUpRequests;
		this.warmUpNanos = warmUp.toNanos();
		this.warmUp = warmUp;
		this.nanoClock = nanoClock;
		this.startNanos = nanoClock.getAsLong();
	}

	/**
	 * Take the start snapshot once the generation is warm, and a sample after it when
	 * requests were served or the heap was collected since the last one.
	 */
	public synchronized void check() {
		if (this.atEnd != null) {
			return;
		}
		if (this.atStart == null) {
			startIfWarm();
			return;
		}
		sample(false);
	}

	/**
	 * Take the start snapshot if the generation has just become warm; nothing else. Cheap
	 * enough to run every second.
	 */
	public void checkWarmUp() {
		if (this.atStart != null || this.atEnd != null || !warm()) {
			return;
		}
		synchronized (this) {
			if (this.atStart == null && this.atEnd == null) {
				startIfWarm();
			}
		}
	}

	private void startIfWarm() {
		if (warm()) {
			this.histogramAtStart = histogram();
			afterHistogram();
			MemorySnapshot start = snapshot();
			this.samples.add(start);
			this.atStart = start;
		}
	}

	/**
	 * Take a sample right after a garbage collection, paired with the requests served at
	 * its moment.
	 * @param heapAfterGcBytes the heap used right after the collection
	 * @param wholeHeap whether it collected the whole heap (full or mixed, or a collector
	 * without generations)
	 */
	public synchronized void collected(long heapAfterGcBytes, boolean wholeHeap) {
		this.lastHeapAfterGc = heapAfterGcBytes;
		this.lastWholeHeap = wholeHeap;
		if (this.atStart != null && this.atEnd == null) {
			sample(true);
		}
	}

	private void sample(boolean collected) {
		if (++this.checksSinceSample < this.stride) {
			return;
		}
		this.checksSinceSample = 0;
		MemorySnapshot sample = snapshot();
		MemorySnapshot last = this.samples.get(this.samples.size() - 1);
		if (collected || sample.requests() != last.requests() || sample.collections() != last.collections()) {
			this.samples.add(sample);
			if (this.samples.size() >= MAX_SAMPLES) {
				thinOut();
			}
		}
	}

	// keeps the first and every other one after it, and samples half as often from now on
	private void thinOut() {
		List<MemorySnapshot> kept = new ArrayList<>();
		for (int i = 0; i < this.samples.size(); i += 2) {
			kept.add(this.samples.get(i));
		}
		this.samples.clear();
		this.samples.addAll(kept);
		this.stride *= 2;
	}

	private boolean warm() {
		return this.stats.requestsServed() >= this.warmUpRequests
				|| this.nanoClock.getAsLong() - this.startNanos >= this.warmUpNanos;
	}

	// with the heap after the last collection of any kind, once one was reported
	private MemorySnapshot snapshot() {
		MemorySnapshot snapshot = this.snapshots.apply(this.stats.requestsServed());
		long heapAfterGc = this.lastHeapAfterGc;
		if (heapAfterGc >= 0) {
			return snapshot.withHeapAfterGc(heapAfterGc, this.lastWholeHeap);
		}
		// right after a histogram's full collection every pool's collection usage is exact
		return this.lastWholeHeap ? snapshot.withHeapAfterGc(snapshot.heapAfterGcBytes(), true) : snapshot;
	}

	// a histogram is a full collection, which every pool's collection usage already shows;
	// its notification comes later, on another thread
	private void afterHistogram() {
		if (this.histograms != null) {
			this.lastHeapAfterGc = -1;
			this.lastWholeHeap = true;
		}
	}

	private @Nullable ClassHistogram histogram() {
		Supplier<ClassHistogram> histograms = this.histograms;
		if (histograms == null) {
			return null;
		}
		try {
			return histograms.get();
		}
		catch (RuntimeException ex) {
			logger.warn("Class histograms are off for this generation: {}", ex.getMessage());
			this.histograms = null;
			return null;
		}
	}

	/**
	 * Take the end snapshot and judge the generation, once; later calls return the first
	 * snapshot.
	 * @return the end snapshot
	 */
	public synchronized MemorySnapshot end() {
		MemorySnapshot end = this.atEnd;
		if (end == null) {
			ClassHistogram histogramAtStart = this.histogramAtStart;
			ClassHistogram histogramAtEnd = (histogramAtStart != null) ? histogram() : null;
			this.histogramAtEnd = histogramAtEnd;
			afterHistogram();
			end = snapshot();
			this.atEnd = end;
			if (this.atStart != null) {
				this.samples.add(end);
				this.verdict = LeakVerdict.judge(List.copyOf(this.samples), histogramAtStart, histogramAtEnd);
			}
			else {
				this.noVerdictReason = "no leak verdict: the generation ended before it was warm (" + end.requests()
						+ " of recycling.memory.warm-up-requests=" + this.warmUpRequests + " requests, "
						+ Durations.format(Duration.ofNanos(this.nanoClock.getAsLong() - this.startNanos))
						+ " of recycling.memory.warm-up=" + Durations.format(this.warmUp)
						+ "); lower them, or raise the limits, to judge generations this short";
			}
			this.histogramAtStart = null;
		}
		return end;
	}

	/**
	 * Return the class histogram taken as the generation ended, to compare generations.
	 * @return the histogram, or {@code null} with histograms off or before the end
	 */
	public @Nullable ClassHistogram histogramAtEnd() {
		return this.histogramAtEnd;
	}

	/**
	 * Return the sample with the least heap after GC since the generation was warm, among
	 * those taken right after a collection of the whole heap: what it held at its leanest,
	 * its baseline for comparing generations. After a young collection the heap still holds
	 * the old generation's garbage, among it earlier generations' objects, which would look
	 * like memory that survives recycles.
	 * @return the sample, or {@code null} before the warm-up snapshot or if no collection
	 * of the whole heap came after it
	 */
	public synchronized @Nullable MemorySnapshot leanest() {
		MemorySnapshot leanest = null;
		for (MemorySnapshot sample : this.samples) {
			if (sample.heapAfterGcBytes() > 0 && sample.wholeHeapCollected()
					&& (leanest == null || sample.heapAfterGcBytes() < leanest.heapAfterGcBytes())) {
				leanest = sample;
			}
		}
		return leanest;
	}

	/**
	 * Return the snapshot taken once the generation was warm.
	 * @return the snapshot, or {@code null} if it ended before it was warm
	 */
	public @Nullable MemorySnapshot atStart() {
		return this.atStart;
	}

	/**
	 * Return the snapshot taken as the generation ended.
	 * @return the snapshot, or {@code null} while it runs
	 */
	public @Nullable MemorySnapshot atEnd() {
		return this.atEnd;
	}

	/**
	 * Return whether the generation looks like it leaked, judged as it ended.
	 * @return the verdict, or {@code null} while it runs or if it ended before it was warm
	 */
	public @Nullable LeakVerdict verdict() {
		return this.verdict;
	}

	/**
	 * Return why the generation got no verdict.
	 * @return the reason and what to change, or {@code null} while it runs or if it has one
	 */
	public @Nullable String noVerdictReason() {
		return this.noVerdictReason;
	}

	/**
	 * Return how many samples the generation has so far, warm-up snapshot included.
	 * @return the sample count
	 */
	public synchronized int sampleCount() {
		return this.samples.size();
	}

}
