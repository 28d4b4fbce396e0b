package dev.recycling.analytics.flush;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
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
import dev.recycling.analytics.task.BatchFootprint;
import dev.recycling.analytics.task.BatchQueue;
import dev.recycling.support.Durations;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.retry.Retry;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.util.unit.DataSize;

/**
 * Flushes both caches as one batch.
 * <p>
 * A periodic, early or manual flush drains the caches into a batch and enqueues it, and any
 * batch an earlier flush could not enqueue, through a circuit breaker: while the database is
 * down the batches stay in memory (not the caches: those keep counting), and once they hold
 * more than {@code maxPendingBytes} of heap the oldest go to the spill directory. The
 * shutdown flush takes every batch that is not durable, even one a stuck periodic flush is
 * sending, enqueues them with retries within its time budget and spills what it could not
 * enqueue, so a batch is never dropped while the disk takes it. A batch sent twice is
 * applied once: its id stays the same.
 *
 * @author recycling team
 */
public final class AnalyticsFlusher {

	private static final Logger logger = LoggerFactory.getLogger(AnalyticsFlusher.class);

	// the longest the shutdown flush waits for a periodic flush to finish before it goes on without
	private static final Duration LOCK_WAIT = Duration.ofSeconds(1);

	private final ApiUsageCache apiUsage;

	private final FeatureEvaluationCache featureEvaluations;

	private final BatchQueue queue;

	private final SpillDirectory spill;

	private final CircuitBreaker circuitBreaker;

	private final Retry retry;

	private final long maxPendingBytes;

	private final Clock clock;

	private final Supplier<UUID> ids;

	private final Consumer<FlushResult> listener;

	// serializes flushes; the shutdown flush goes on without it when a flush is stuck
	private final ReentrantLock lock = new ReentrantLock();

	private final PendingBatches pending = new PendingBatches();

	// batches between two places (drained but not yet pending, taken but not yet spilled), so
	// that the backlog never misses them
	private final AtomicInteger moving = new AtomicInteger();

	private volatile @Nullable FlushResult lastResult;

	/**
	 * Create a flusher.
	 * @param apiUsage the API-usage cache
	 * @param featureEvaluations the feature-evaluation cache
	 * @param queue where batches go
	 * @param spill where batches go when the queue cannot take them
	 * @param circuitBreaker guards the queue on periodic, early and manual flushes
	 * @param retry retries the queue on the shutdown flush
	 * @param maxPendingBytes most heap, in bytes, held by batches in memory while the queue
	 * is down (estimated by {@link BatchFootprint})
	 * @param clock the clock
	 * @param ids makes batch ids
	 * @param listener told the result of every flush, such as {@link AnalyticsStatistics}
	 */
	public AnalyticsFlusher(ApiUsageCache apiUsage, FeatureEvaluationCache featureEvaluations, BatchQueue queue,
			SpillDirectory spill, CircuitBreaker circuitBreaker, Retry retry, long maxPendingBytes, Clock clock,
			Supplier<UUID> ids, Consumer<FlushResult> listener) {
		this.apiUsage = apiUsage;
		this.featureEvaluations = featureEvaluations;
		this.queue = queue;
		this.spill = spill;
		this.circuitBreaker = circuitBreaker;
		this.retry = retry;
		this.maxPendingBytes = maxPendingBytes;
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
			if (this.pending.size() == 0) {
				replaySpilled();
				return finish(trigger, start, Outcome.EMPTY, 0, 0, 0, 0, Lost.NONE, null);
			}
			int enqueued = 0;
			long entries = 0;
			long counts = 0;
			String error = null;
			AnalyticsBatch batch;
			while ((batch = this.pending.oldest()) != null) {
				AnalyticsBatch next = batch;
				try {
					this.circuitBreaker.executeSupplier(() -> this.queue.enqueue(next));
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
				this.pending.remove(batch);
				enqueued++;
				entries += batch.entries();
				counts += batch.apiUsageTotal() + batch.featureEvaluationTotal();
			}
			SpillCount spilled = spillBeyondLimit();
			if (this.pending.size() == 0) {
				replaySpilled();
			}
			Outcome outcome = (spilled.lost().batches() > 0) ? Outcome.FAILED
					: (spilled.batches() > 0) ? Outcome.SPILLED
							: (this.pending.size() == 0) ? Outcome.ENQUEUED : Outcome.DEFERRED;
			return finish(trigger, start, outcome, enqueued, entries, counts, spilled.batches(), spilled.lost(), error);
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * The last flush of a generation: take every batch that is not durable (both caches, and
	 * the batches in memory, even one a stuck flush is sending), enqueue them retrying within
	 * the budget, and spill whatever could not be enqueued.
	 * @param budget the time this may take
	 * @return what the flush did; {@link Outcome#FAILED} with the numbers if anything is lost
	 */
	public FlushResult flushAtShutdown(Duration budget) {
		long start = System.nanoTime();
		long deadline = start + budget.toNanos();
		// keep a share of the budget to spill what the queue did not take
		long enqueueDeadline = deadline - Math.min(Duration.ofSeconds(2).toNanos(), budget.toNanos() / 4);
		boolean locked = lockForShutdown(Math.min(LOCK_WAIT.toNanos(), budget.toNanos() / 4));
		this.moving.incrementAndGet();
		try {
			AnalyticsBatch last = drain(FlushTrigger.SHUTDOWN);
			List<AnalyticsBatch> batches = this.pending.takeAll();
			if (last != null) {
				batches.add(last);
			}
			if (batches.isEmpty()) {
				return finish(FlushTrigger.SHUTDOWN, start, Outcome.EMPTY, 0, 0, 0, 0, Lost.NONE, null);
			}
			Set<UUID> enqueued = ConcurrentHashMap.newKeySet();
			String error = enqueueAll(batches, enqueued, enqueueDeadline, budget);
			if (!locked) {
				String stuck = "a flush in progress was stuck on the queue";
				error = (error != null) ? stuck + "; " + error : stuck;
			}
			long entries = 0;
			long counts = 0;
			int spilled = 0;
			Lost lost = Lost.NONE;
			for (AnalyticsBatch batch : batches) {
				if (enqueued.contains(batch.id())) {
					entries += batch.entries();
					counts += batch.apiUsageTotal() + batch.featureEvaluationTotal();
				}
				else if (spillOrLog(batch)) {
					// if an abandoned insert commits after all, the replay is a no-op: same batch id
					spilled++;
				}
				else {
					lost = lost.plus(batch);
				}
			}
			if (enqueued.size() < batches.size()) {
				logger.warn("Could not enqueue {} of {} analytics batches at shutdown ({}); spilled {} to {}{}",
						batches.size() - enqueued.size(), batches.size(), error, spilled, this.spill.directory(),
						(lost.batches() > 0) ? "; LOST " + lost : "");
			}
			Outcome outcome = (lost.batches() > 0) ? Outcome.FAILED : (spilled > 0) ? Outcome.SPILLED : Outcome.ENQUEUED;
			return finish(FlushTrigger.SHUTDOWN, start, outcome, enqueued.size(), entries, counts, spilled, lost, error);
		}
		finally {
			this.moving.decrementAndGet();
			if (locked) {
				this.lock.unlock();
			}
		}
	}

	private boolean lockForShutdown(long waitNanos) {
		try {
			return this.lock.tryLock(waitNanos, TimeUnit.NANOSECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

	// on its own thread, so that a connection attempt that outlasts the budget can be abandoned
	private @Nullable String enqueueAll(List<AnalyticsBatch> batches, Set<UUID> enqueued, long enqueueDeadline,
			Duration budget) {
		FutureTask<Void> enqueueAll = new FutureTask<>(() -> {
			for (AnalyticsBatch batch : batches) {
				this.retry.executeSupplier(() -> this.queue.enqueue(batch));
				enqueued.add(batch.id());
			}
			return null;
		});
		Thread thread = new Thread(enqueueAll, "recycling-analytics-shutdown-flush");
		thread.setDaemon(true);
		thread.start();
		try {
			enqueueAll.get(Math.max(0, enqueueDeadline - System.nanoTime()), TimeUnit.NANOSECONDS);
			return null;
		}
		catch (TimeoutException ex) {
			enqueueAll.cancel(true);
			return "the queue did not take the batches within " + Durations.format(budget);
		}
		catch (ExecutionException ex) {
			return String.valueOf(ex.getCause());
		}
		catch (InterruptedException ex) {
			enqueueAll.cancel(true);
			Thread.currentThread().interrupt();
			return "interrupted";
		}
	}

	/**
	 * Enqueue the batches of the spill directory, one file at a time, through the circuit
	 * breaker, and remove their files. Files that cannot be read are quarantined. Nothing is
	 * read while the circuit breaker is open.
	 * @return the number of batches enqueued
	 */
	public int replaySpilled() {
		List<Path> files = this.spill.files();
		if (files.isEmpty()) {
			return 0;
		}
		if (!this.circuitBreaker.tryAcquirePermission()) {
			logger.info("{} spilled analytics batches wait in {}; circuit breaker {} is open, trying again after the "
					+ "next flush", files.size(), this.spill.directory(), this.circuitBreaker.getName());
			return 0;
		}
		// the permission taken above is given back: each batch asks the breaker again
		this.circuitBreaker.releasePermission();
		int replayed = 0;
		for (Path file : files) {
			SpilledBatch spilled = this.spill.read(file);
			if (spilled == null) {
				continue;
			}
			try {
				this.circuitBreaker.executeSupplier(() -> this.queue.enqueue(spilled.batch()));
			}
			catch (RuntimeException ex) {
				logger.info("{} spilled analytics batches wait in {}; the database cannot take them yet ({}), "
						+ "trying again after the next flush", files.size() - replayed, this.spill.directory(),
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
		return this.pending.size();
	}

	/**
	 * Return the heap held by the batches in memory, as estimated by {@link BatchFootprint}.
	 * @return the estimate in bytes
	 */
	public long pendingBytes() {
		return this.pending.bytes();
	}

	/**
	 * Return every count recorded but not yet applied: in the caches, in memory, in the
	 * spill directory and in the queue.
	 * @param askQueueWhileOpen whether to ask the queue while the circuit breaker is open
	 * (a caller about to read the database anyway); scrapes and health checks do not
	 * @return the backlog
	 */
	public AnalyticsBacklog backlog(boolean askQueueWhileOpen) {
		// in the order counts move: a batch that moves meanwhile is seen where it arrives
		long counts = this.apiUsage.total() + this.featureEvaluations.total();
		int moving = this.moving.get();
		int inMemory = moving + this.pending.size();
		long spilled = this.spill.count();
		CircuitBreaker.State state = this.circuitBreaker.getState();
		if (!askQueueWhileOpen
				&& (state == CircuitBreaker.State.OPEN || state == CircuitBreaker.State.FORCED_OPEN)) {
			return new AnalyticsBacklog(counts, inMemory, spilled, null,
					"not asked: circuit breaker " + this.circuitBreaker.getName() + " is open");
		}
		try {
			return new AnalyticsBacklog(counts, inMemory, spilled, this.queue.pendingBatches(), null);
		}
		catch (RuntimeException ex) {
			logger.debug("Could not count the queued analytics batches", ex);
			return new AnalyticsBacklog(counts, inMemory, spilled, null,
					ex.getClass().getSimpleName() + ": " + ex.getMessage());
		}
	}

	private void collect(FlushTrigger trigger) {
		this.moving.incrementAndGet();
		try {
			AnalyticsBatch batch = drain(trigger);
			if (batch != null) {
				this.pending.add(batch);
			}
		}
		finally {
			this.moving.decrementAndGet();
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

	private SpillCount spillBeyondLimit() {
		int spilled = 0;
		Lost lost = Lost.NONE;
		while (true) {
			this.moving.incrementAndGet();
			try {
				AnalyticsBatch oldest = this.pending.takeOldestBeyond(this.maxPendingBytes);
				if (oldest == null) {
					break;
				}
				if (spillOrLog(oldest)) {
					spilled++;
				}
				else {
					lost = lost.plus(oldest);
				}
			}
			finally {
				this.moving.decrementAndGet();
			}
		}
		if (spilled > 0) {
			logger.warn("The analytics queue is unreachable and the batches in memory hold more than {}; spilled the "
					+ "{} oldest batches to {}", DataSize.ofBytes(this.maxPendingBytes), spilled, this.spill.directory());
		}
		return new SpillCount(spilled, lost);
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
			long counts, int spilled, Lost lost, @Nullable String error) {
		FlushResult result = new FlushResult(trigger, Instant.now(this.clock),
				Duration.ofNanos(System.nanoTime() - start), outcome, batches, entries, counts, spilled,
				this.pending.size(),
				lost.batches(), lost.counts(), error);
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

	private record SpillCount(int batches, Lost lost) {

	}

	/**
	 * Batches lost: neither enqueued nor spilled.
	 */
	private record Lost(int batches, long counts) {

		static final Lost NONE = new Lost(0, 0);

		Lost plus(AnalyticsBatch batch) {
			return new Lost(this.batches + 1, this.counts + batch.apiUsageTotal() + batch.featureEvaluationTotal());
		}

		@Override
		public String toString() {
			return this.batches + " batches holding " + this.counts + " counts";
		}

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
				return AnalyticsFlusher.this.pending.size();
			}

			@Override
			public long spilledBatches() {
				return AnalyticsFlusher.this.spill.count();
			}

		};
	}

}
