package dev.recycling.analytics.flush;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

import dev.recycling.analytics.task.AnalyticsBatch;
import org.jspecify.annotations.Nullable;

/**
 * Flush counts of the whole JVM, across generations, and a view of the current
 * generation's caches: what the metrics and the endpoint read. When the starter's recycler
 * runs, every generation shares one instance, so that the shutdown flush of a generation
 * is still counted (and shown) after the next one has started.
 * <p>
 * It holds numbers and the last {@link FlushResult}; the current generation's objects only
 * through the {@link LiveView} it attaches and detaches.
 *
 * @author recycling team
 */
public final class AnalyticsStatistics implements Consumer<FlushResult> {

	private final ConcurrentMap<FlushKey, Totals> flushes = new ConcurrentHashMap<>();

	private final LongAdder entriesEnqueued = new LongAdder();

	private final LongAdder countsEnqueued = new LongAdder();

	private final LongAdder batchesApplied = new LongAdder();

	private final LongAdder countsApplied = new LongAdder();

	private final LongAdder applyLagNanos = new LongAdder();

	private final LongAdder batchesLost = new LongAdder();

	private final LongAdder countsLost = new LongAdder();

	private volatile boolean queueUnreachable;

	private final List<Consumer<FlushKey>> newKeyListeners = new CopyOnWriteArrayList<>();

	private volatile @Nullable FlushResult lastResult;

	private volatile LiveView live = LiveView.snapshot(0, 0, 0, 0);

	/**
	 * Record what a flush did.
	 * @param result the flush's result
	 */
	@Override
	public void accept(FlushResult result) {
		FlushKey key = new FlushKey(result.trigger().tag(), result.outcome().name().toLowerCase(Locale.ROOT));
		Totals totals = this.flushes.get(key);
		boolean added = false;
		if (totals == null) {
			Totals created = new Totals();
			totals = this.flushes.putIfAbsent(key, created);
			added = (totals == null);
			totals = added ? created : totals;
		}
		totals.count.increment();
		totals.nanos.add(Math.max(0, result.duration().toNanos()));
		this.entriesEnqueued.add(result.entriesEnqueued());
		this.countsEnqueued.add(result.countsEnqueued());
		this.batchesLost.add(result.batchesLost());
		this.countsLost.add(result.countsLost());
		if (result.error() != null) {
			this.queueUnreachable = true;
		}
		else if (result.outcome() == FlushResult.Outcome.ENQUEUED) {
			this.queueUnreachable = false;
		}
		this.lastResult = result;
		if (added) {
			this.newKeyListeners.forEach((listener) -> listener.accept(key));
		}
	}

	/**
	 * Return the (trigger, outcome) pairs flushes have had.
	 * @return the pairs
	 */
	public Set<FlushKey> flushKeys() {
		return Set.copyOf(this.flushes.keySet());
	}

	/**
	 * Return how many flushes had a (trigger, outcome) pair.
	 * @param key the pair
	 * @return the count
	 */
	public long flushCount(FlushKey key) {
		Totals totals = this.flushes.get(key);
		return (totals != null) ? totals.count.sum() : 0;
	}

	/**
	 * Return the total time of the flushes with a (trigger, outcome) pair.
	 * @param key the pair
	 * @return the total in nanoseconds
	 */
	public double flushNanos(FlushKey key) {
		Totals totals = this.flushes.get(key);
		return (totals != null) ? totals.nanos.sum() : 0;
	}

	/**
	 * Return the entries (minute, key, count) enqueued as durable tasks.
	 * @return the number of entries
	 */
	public long entriesEnqueued() {
		return this.entriesEnqueued.sum();
	}

	/**
	 * Return the counts (API requests and feature evaluations) enqueued as durable tasks.
	 * @return the number of counts
	 */
	public long countsEnqueued() {
		return this.countsEnqueued.sum();
	}

	/**
	 * Record a batch this JVM's processor applied just now, whichever instance flushed it.
	 * The time since its flush is read on two instances' clocks when another one flushed it.
	 * @param batch the batch
	 */
	public void batchApplied(AnalyticsBatch batch) {
		this.batchesApplied.increment();
		this.countsApplied.add(batch.apiUsageTotal() + batch.featureEvaluationTotal());
		this.applyLagNanos.add(Math.max(0, Duration.between(batch.createdAt(), Instant.now()).toNanos()));
	}

	/**
	 * Return the batches this JVM's processor applied.
	 * @return the number of batches
	 */
	public long batchesApplied() {
		return this.batchesApplied.sum();
	}

	/**
	 * Return the counts in the batches this JVM's processor applied.
	 * @return the number of counts
	 */
	public long countsApplied() {
		return this.countsApplied.sum();
	}

	/**
	 * Return the time from flush to apply of the batches this JVM's processor applied,
	 * summed.
	 * @return the total in nanoseconds
	 */
	public double applyLagNanos() {
		return this.applyLagNanos.sum();
	}

	/**
	 * Return the batches lost in this JVM: neither enqueued nor spilled.
	 * @return the number of batches
	 */
	public long batchesLost() {
		return this.batchesLost.sum();
	}

	/**
	 * Return the counts those lost batches held.
	 * @return the number of counts
	 */
	public long countsLost() {
		return this.countsLost.sum();
	}

	/**
	 * Return whether the last flush that tried the queue could not reach it, in any
	 * generation of this JVM: a new generation's circuit breaker then starts open instead
	 * of hammering a database that is still down.
	 * @return whether the queue was unreachable
	 */
	public boolean queueUnreachable() {
		return this.queueUnreachable;
	}

	/**
	 * Return what the last flush did, in any generation of this JVM.
	 * @return the result or {@code null} before the first flush
	 */
	public @Nullable FlushResult lastResult() {
		return this.lastResult;
	}

	/**
	 * Return the view of the current generation, or the last values of the last one.
	 * @return the view
	 */
	public LiveView live() {
		return this.live;
	}

	/**
	 * Read the current generation through a view until it is detached.
	 * @param view the view
	 */
	public void attach(LiveView view) {
		this.live = view;
	}

	/**
	 * Stop reading a generation that closes, keeping its last values.
	 * @param view the view attached by that generation
	 */
	public void detach(LiveView view) {
		if (this.live == view) {
			this.live = LiveView.snapshot(view.apiUsageKeys(), view.featureEvaluationKeys(), view.pendingBatches(),
					view.spilledBatches());
		}
	}

	/**
	 * Be told of each (trigger, outcome) pair the first time it occurs, until removed.
	 * @param listener the listener
	 */
	public void addNewKeyListener(Consumer<FlushKey> listener) {
		this.newKeyListeners.add(listener);
	}

	/**
	 * Stop telling a listener.
	 * @param listener the listener
	 */
	public void removeNewKeyListener(Consumer<FlushKey> listener) {
		this.newKeyListeners.remove(listener);
	}

	/**
	 * What started a flush and how it ended, as metric tags.
	 *
	 * @param trigger {@link FlushTrigger#tag()}
	 * @param outcome the {@link FlushResult.Outcome} in lower case
	 */
	public record FlushKey(String trigger, String outcome) {

	}

	/**
	 * The current generation's caches and batches.
	 */
	public interface LiveView {

		/**
		 * Return the keys held by the API-usage cache.
		 * @return the number of keys
		 */
		long apiUsageKeys();

		/**
		 * Return the keys held by the feature-evaluation cache.
		 * @return the number of keys
		 */
		long featureEvaluationKeys();

		/**
		 * Return the batches held in memory because the queue could not take them.
		 * @return the number of batches
		 */
		long pendingBatches();

		/**
		 * Return the batches spilled to disk, waiting for replay.
		 * @return the number of batches
		 */
		long spilledBatches();

		/**
		 * Return fixed values.
		 * @param apiUsageKeys the API-usage keys
		 * @param featureEvaluationKeys the feature-evaluation keys
		 * @param pendingBatches the pending batches
		 * @param spilledBatches the spilled batches
		 * @return a view of these values
		 */
		static LiveView snapshot(long apiUsageKeys, long featureEvaluationKeys, long pendingBatches,
				long spilledBatches) {
			return new Snapshot(apiUsageKeys, featureEvaluationKeys, pendingBatches, spilledBatches);
		}

	}

	private record Snapshot(long apiUsageKeys, long featureEvaluationKeys, long pendingBatches,
			long spilledBatches) implements LiveView {

	}

	private static final class Totals {

		private final LongAdder count = new LongAdder();

		private final LongAdder nanos = new LongAdder();

	}

}
