package dev.recycling.analytics.flush;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Supplier;

import dev.recycling.analytics.cache.ApiUsageCache;
import dev.recycling.analytics.cache.ApiUsageKey;
import dev.recycling.analytics.cache.FeatureEvaluationCache;
import dev.recycling.analytics.cache.FeatureEvaluationKey;
import dev.recycling.analytics.cache.UsageCount;
import dev.recycling.analytics.flush.FlushResult.Outcome;
import dev.recycling.analytics.spill.SpillDirectory;
import dev.recycling.analytics.spill.SpillDirectory.SpilledBatch;
import dev.recycling.analytics.task.AnalyticsBatch;
import dev.recycling.analytics.task.BatchQueue;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.retry.Retry;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Flushes both caches as one batch.
 * <p>
 * A periodic, early or manual flush drains the caches into a batch and enqueues it, and any
 * batch an earlier flush could not enqueue, through a circuit breaker: while the database is
 * down the batches stay in memory (not the caches: those keep counting), and once they hold
 * more than {@code maxPendingEntries} entries the oldest go to the spill directory. The
 * shutdown flush enqueues everything with retries within its time budget and spills what
 * it could not enqueue, so a batch is never dropped while the disk takes it.
 *
 * @author recycling team
 */
public final class AnalyticsFlusher {

	private static final Logger logger = LoggerFactory.getLogger(AnalyticsFlusher.class);

	private final ApiUsageCache apiUsage;

	private final FeatureEvaluationCache featureEvaluations;

	private final BatchQueue queue;

	private final SpillDirectory spill;

	private final CircuitBreaker circuitBreaker;

	private final Retry retry;

	private final long maxPendingEntries;

	private final Clock clock;

	private final Supplier<UUID> ids;

	private final Consumer<FlushResult> listener;

	private final ReentrantLock lock = new ReentrantLock();

	// batches drained but not enqueued yet, oldest first; guarded by lock
	private final Deque<AnalyticsBatch> pending = new ArrayDeque<>();

	private volatile @Nullable FlushResult lastResult;

	private volatile int pendingCount;

	/**
	 * Create a flusher.
	 * @param apiUsage the API-usage cache
	 * @param featureEvaluations the feature-evaluation cache
	 * @param queue where batches go
	 * @param spill where batches go when the queue cannot take them
	 * @param circuitBreaker guards the queue on periodic, early and manual flushes
	 * @param retry retries the queue on the shutdown flush
	 * @param maxPendingEntries most entries held in memory while the queue is down
	 * @param clock the clock
	 * @param ids makes batch ids
	 * @param listener told the result of every flush, such as {@link AnalyticsStatistics}
	 */
	public AnalyticsFlusher(ApiUsageCache apiUsage, FeatureEvaluationCache featureEvaluations, BatchQueue queue,
			SpillDirectory spill, CircuitBreaker circuitBreaker, Retry retry, long maxPendingEntries, Clock clock,
			Supplier<UUID> ids, Consumer<FlushResult> listener) {
		this.apiUsage = apiUsage;
		this.featureEvaluations = featureEvaluations;
		this.queue = queue;
		this.spill = spill;
		this.circuitBreaker = circuitBreaker;
		this.retry = retry;
		this.maxPendingEntries = maxPendingEntries;
		this.clock = clock;
		this.ids = ids;
		this.listener = listener;
	}

	/**
	 * Flush now: drain both caches into one batch and enqueue it with any pending batch.
	 * @param trigger what asks for the flush (not {@link FlushTrigger#SHUTDOWN})
	 * @return what the flush did
	 */
	public FlushResult flush(FlushTrigger trigger) {
		long start = System.nanoTime();
		this.lock.lock();
		try {
			collect(trigger);
			if (this.pending.isEmpty()) {
				replaySpilled();
				return finish(trigger, start, Outcome.EMPTY, 0, 0, 0, null);
			}
			int enqueued = 0;
			long entries = 0;
			String error = null;
			while (!this.pending.isEmpty()) {
				AnalyticsBatch batch = this.pending.peekFirst();
				try {
					this.circuitBreaker.executeSupplier(() -> this.queue.enqueue(batch));
				}
				catch (CallNotPermittedException ex) {
					error = "circuit breaker " + this.circuitBreaker.getName() + " is open";
					break;
				}
				catch (RuntimeException ex) {
					error = String.valueOf(ex);
					logger.warn("Could not enqueue analytics batch {} ({} entries); keeping it in memory for the next "
							+ "flush", batch.id(), batch.entries(), ex);
					break;
				}
				this.pending.removeFirst();
				enqueued++;
				entries += batch.entries();
			}
			int spilled = spillBeyondLimit();
			if (this.pending.isEmpty()) {
				replaySpilled();
			}
			Outcome outcome = (spilled > 0) ? Outcome.SPILLED
					: this.pending.isEmpty() ? Outcome.ENQUEUED : Outcome.DEFERRED;
			return finish(trigger, start, outcome, enqueued, entries, spilled, error);
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * The last flush of a generation: drain both caches into one batch and enqueue it, and
	 * any pending batch, retrying within the budget; spill whatever could not be enqueued.
	 * @param budget the time this may take
	 * @return what the flush did
	 */
	public FlushResult flushAtShutdown(Duration budget) {
		long start = System.nanoTime();
		long deadline = start + budget.toNanos();
		// keep a share of the budget to spill what the queue did not take
		long enqueueDeadline = deadline - Math.min(Duration.ofSeconds(2).toNanos(), budget.toNanos() / 4);
		boolean locked;
		try {
			locked = this.lock.tryLock(enqueueDeadline - System.nanoTime(), TimeUnit.NANOSECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			locked = false;
		}
		if (!locked) {
			// a periodic flush is stuck on the database: spill the caches without waiting for it
			AnalyticsBatch batch = drain(FlushTrigger.SHUTDOWN);
			int spilled = (batch != null && spillOrLog(batch)) ? 1 : 0;
			return finish(FlushTrigger.SHUTDOWN, start, (batch == null) ? Outcome.EMPTY
					: (spilled > 0) ? Outcome.SPILLED : Outcome.FAILED, 0, 0, spilled, "a flush in progress held the lock");
		}
		try {
			collect(FlushTrigger.SHUTDOWN);
			if (this.pending.isEmpty()) {
				return finish(FlushTrigger.SHUTDOWN, start, Outcome.EMPTY, 0, 0, 0, null);
			}
			List<AnalyticsBatch> batches = new ArrayList<>(this.pending);
			Set<UUID> enqueued = ConcurrentHashMap.newKeySet();
			FutureTask<Void> enqueueAll = new FutureTask<>(() -> {
				for (AnalyticsBatch batch : batches) {
					this.retry.executeSupplier(() -> this.queue.enqueue(batch));
					enqueued.add(batch.id());
				}
				return null;
			});
			// its own thread, so a connection attempt that outlasts the budget can be abandoned
			Thread thread = new Thread(enqueueAll, "recycling-analytics-shutdown-flush");
			thread.setDaemon(true);
			thread.start();
			String error = null;
			try {
				enqueueAll.get(Math.max(0, enqueueDeadline - System.nanoTime()), TimeUnit.NANOSECONDS);
			}
			catch (TimeoutException ex) {
				enqueueAll.cancel(true);
				error = "the database did not take the batch within " + budget.toMillis() + " ms";
			}
			catch (ExecutionException ex) {
				error = String.valueOf(ex.getCause());
			}
			catch (InterruptedException ex) {
				enqueueAll.cancel(true);
				Thread.currentThread().interrupt();
				error = "interrupted";
			}
			long entries = 0;
			int spilled = 0;
			boolean lost = false;
			for (AnalyticsBatch batch : batches) {
				this.pending.remove(batch);
				if (enqueued.contains(batch.id())) {
					entries += batch.entries();
				}
				else if (spillOrLog(batch)) {
					// if the abandoned insert commits after all, the replay is a no-op: same batch id
					spilled++;
				}
				else {
					lost = true;
				}
			}
			if (error != null) {
				logger.warn("Could not enqueue {} analytics batches at shutdown ({}); spilled {} to {}",
						batches.size() - enqueued.size(), error, spilled, this.spill.directory());
			}
			Outcome outcome = lost ? Outcome.FAILED : (spilled > 0) ? Outcome.SPILLED : Outcome.ENQUEUED;
			return finish(FlushTrigger.SHUTDOWN, start, outcome, enqueued.size(), entries, spilled, error);
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Enqueue the batches of the spill directory, through the circuit breaker, and remove
	 * their files. Files that cannot be read are quarantined.
	 * @return the number of batches enqueued
	 */
	public int replaySpilled() {
		int replayed = 0;
		List<SpilledBatch> batches = this.spill.load();
		for (SpilledBatch spilled : batches) {
			try {
				this.circuitBreaker.executeSupplier(() -> this.queue.enqueue(spilled.batch()));
			}
			catch (RuntimeException ex) {
				logger.info("{} spilled analytics batches wait in {}; the database cannot take them yet ({}), "
						+ "trying again after the next flush", batches.size() - replayed, this.spill.directory(),
						ex.toString());
				logger.debug("Replay of spilled analytics batch {} failed", spilled.batch().id(), ex);
				break;
			}
			this.spill.remove(spilled);
			replayed++;
		}
		if (replayed > 0) {
			logger.info("Replayed {} spilled analytics batches from {}", replayed, this.spill.directory());
		}
		return replayed;
	}

	/**
	 * Return what the last flush did.
	 * @return the result, or {@code null} before the first flush
	 */
	public @Nullable FlushResult lastResult() {
		return this.lastResult;
	}

	/**
	 * Return how many batches are held in memory because the queue could not take them.
	 * @return the number of batches
	 */
	public int pendingInMemory() {
		return this.pendingCount;
	}

	private void collect(FlushTrigger trigger) {
		AnalyticsBatch batch = drain(trigger);
		if (batch != null) {
			this.pending.addLast(batch);
		}
	}

	private @Nullable AnalyticsBatch drain(FlushTrigger trigger) {
		List<UsageCount<ApiUsageKey>> api = this.apiUsage.drain();
		List<UsageCount<FeatureEvaluationKey>> evaluations = this.featureEvaluations.drain();
		if (api.isEmpty() && evaluations.isEmpty()) {
			return null;
		}
		return new AnalyticsBatch(this.ids.get(), this.clock.instant(), trigger.tag(), api, evaluations);
	}

	private int spillBeyondLimit() {
		long entries = this.pending.stream().mapToLong(AnalyticsBatch::entries).sum();
		int spilled = 0;
		while (entries > this.maxPendingEntries && !this.pending.isEmpty()) {
			AnalyticsBatch oldest = this.pending.removeFirst();
			entries -= oldest.entries();
			if (spillOrLog(oldest)) {
				spilled++;
			}
		}
		if (spilled > 0) {
			logger.warn("The analytics queue is unreachable and more than {} entries are pending; spilled the {} "
					+ "oldest batches to {}", this.maxPendingEntries, spilled, this.spill.directory());
		}
		return spilled;
	}

	private boolean spillOrLog(AnalyticsBatch batch) {
		try {
			this.spill.spill(batch);
			return true;
		}
		catch (RuntimeException ex) {
			logger.error("Lost analytics batch {}: {} API requests and {} feature evaluations could be neither "
					+ "enqueued nor spilled. Check that {} is writable", batch.id(), batch.apiUsageTotal(),
					batch.featureEvaluationTotal(), this.spill.directory(), ex);
			return false;
		}
	}

	private FlushResult finish(FlushTrigger trigger, long start, Outcome outcome, int batches, long entries,
			int spilled, @Nullable String error) {
		this.pendingCount = this.pending.size();
		FlushResult result = new FlushResult(trigger, Instant.now(this.clock),
				Duration.ofNanos(System.nanoTime() - start), outcome, batches, entries, spilled, this.pendingCount,
				error);
		this.lastResult = result;
		logger.debug("Analytics flush ({}): {}", trigger.tag(), result);
		try {
			this.listener.accept(result);
		}
		catch (RuntimeException ex) {
			logger.warn("A flush listener failed; the flush itself is done", ex);
		}
		return result;
	}

	/**
	 * Return a view of the caches and batches of this flusher, read on each call.
	 * @return the view
	 */
	public AnalyticsStatistics.LiveView liveView() {
		return new AnalyticsStatistics.LiveView() {

			@Override
			public long apiUsageKeys() {
				return AnalyticsFlusher.this.apiUsage.keys();
			}

			@Override
			public long featureEvaluationKeys() {
				return AnalyticsFlusher.this.featureEvaluations.keys();
			}

			@Override
			public long pendingBatches() {
				return AnalyticsFlusher.this.pendingCount;
			}

			@Override
			public long spilledBatches() {
				return AnalyticsFlusher.this.spill.count();
			}

		};
	}

}
