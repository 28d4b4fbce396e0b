package dev.recycling.memory;

import java.time.Duration;
import java.util.function.LongFunction;
import java.util.function.LongSupplier;

import dev.recycling.trigger.GenerationStats;
import org.jspecify.annotations.Nullable;

/**
 * Records the memory of one generation: once it is warm (a number of requests or an age,
 * whichever comes first), and when it ends, so that its record says what grew.
 * <p>
 * {@link #check()} runs off the request path, every few seconds; {@link #end()} once, as
 * the generation starts to close.
 *
 * @author recycling team
 */
public final class MemoryRecorder {

	private final LongFunction<MemorySnapshot> snapshots;

	private final GenerationStats stats;

	private final long warmUpRequests;

	private final long warmUpNanos;

	private final LongSupplier nanoClock;

	private final long startNanos;

	private volatile @Nullable MemorySnapshot atStart;

	private volatile @Nullable MemorySnapshot atEnd;

	/**
	 * Create the recorder of a generation that starts now.
	 * @param snapshots takes a snapshot, given the requests completed so far
	 * @param stats the generation's counters
	 * @param warmUpRequests requests after which the generation is warm
	 * @param warmUp age after which the generation is warm
	 * @param nanoClock the monotonic clock
	 */
	public MemoryRecorder(LongFunction<MemorySnapshot> snapshots, GenerationStats stats, long warmUpRequests,
			Duration warmUp, LongSupplier nanoClock) {
		this.snapshots = snapshots;
		this.stats = stats;
		this.warmUpRequests = warmUpRequests;
		this.warmUpNanos = warmUp.toNanos();
		this.nanoClock = nanoClock;
		this.startNanos = nanoClock.getAsLong();
	}

	/**
	 * Take the start snapshot once the generation is warm.
	 */
	public void check() {
		if (this.atStart == null && this.atEnd == null && warm()) {
			this.atStart = this.snapshots.apply(this.stats.requestsServed());
		}
	}

	private boolean warm() {
		return this.stats.requestsServed() >= this.warmUpRequests
				|| this.nanoClock.getAsLong() - this.startNanos >= this.warmUpNanos;
	}

	/**
	 * Take the end snapshot, once; later calls return the first.
	 * @return the end snapshot
	 */
	public synchronized MemorySnapshot end() {
		MemorySnapshot end = this.atEnd;
		if (end == null) {
			end = this.snapshots.apply(this.stats.requestsServed());
			this.atEnd = end;
		}
		return end;
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

}
