package dev.recycling.analytics.actuate;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.recycling.analytics.cache.ApiUsageCache;
import dev.recycling.analytics.cache.FeatureEvaluationCache;
import dev.recycling.analytics.flush.AnalyticsFlusher;
import dev.recycling.analytics.flush.AnalyticsStatistics;
import dev.recycling.analytics.flush.FlushResult;
import dev.recycling.analytics.flush.FlushTrigger;
import dev.recycling.analytics.spill.SpillDirectory;
import dev.recycling.analytics.task.BatchQueue;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;

/**
 * The {@code analytics} actuator endpoint: what the usage caches hold, what the last flush
 * did, and the batches that wait; a write flushes now.
 * <p>
 * Read-only unless the user opts in with
 * {@code management.endpoint.analytics.access=unrestricted}.
 *
 * @author recycling team
 */
@Endpoint(id = "analytics", defaultAccess = Access.READ_ONLY)
public class AnalyticsEndpoint {

	private static final Logger logger = LoggerFactory.getLogger(AnalyticsEndpoint.class);

	private final ApiUsageCache apiUsage;

	private final FeatureEvaluationCache featureEvaluations;

	private final AnalyticsFlusher flusher;

	private final AnalyticsStatistics statistics;

	private final BatchQueue queue;

	private final SpillDirectory spill;

	private final CircuitBreaker circuitBreaker;

	private final Duration flushInterval;

	/**
	 * Create the endpoint.
	 * @param apiUsage the API-usage cache
	 * @param featureEvaluations the feature-evaluation cache
	 * @param flusher the flusher
	 * @param statistics the flush statistics of this JVM
	 * @param queue the queue of durable batches
	 * @param spill the spill directory
	 * @param circuitBreaker the circuit breaker of the periodic flush
	 * @param flushInterval the flush interval
	 */
	public AnalyticsEndpoint(ApiUsageCache apiUsage, FeatureEvaluationCache featureEvaluations,
			AnalyticsFlusher flusher, AnalyticsStatistics statistics, BatchQueue queue, SpillDirectory spill,
			CircuitBreaker circuitBreaker, Duration flushInterval) {
		this.apiUsage = apiUsage;
		this.featureEvaluations = featureEvaluations;
		this.flusher = flusher;
		this.statistics = statistics;
		this.queue = queue;
		this.spill = spill;
		this.circuitBreaker = circuitBreaker;
		this.flushInterval = flushInterval;
	}

	/**
	 * Describe the caches, the last flush and the waiting batches.
	 * @return the description
	 */
	@ReadOperation
	public AnalyticsDescriptor analytics() {
		Map<String, CacheDescriptor> caches = new LinkedHashMap<>();
		caches.put("apiUsage", new CacheDescriptor(this.apiUsage.keys(), this.apiUsage.total()));
		caches.put("featureEvaluations",
				new CacheDescriptor(this.featureEvaluations.keys(), this.featureEvaluations.total()));
		FlushResult last = this.statistics.lastResult();
		CircuitBreaker.State state = this.circuitBreaker.getState();
		Long queued = null;
		String queueError = null;
		if (state == CircuitBreaker.State.OPEN || state == CircuitBreaker.State.FORCED_OPEN) {
			queueError = "not asked: circuit breaker " + this.circuitBreaker.getName() + " is open";
		}
		else {
			try {
				queued = this.queue.pendingBatches();
			}
			catch (RuntimeException ex) {
				logger.debug("Could not count the queued analytics batches", ex);
				queueError = ex.getClass().getSimpleName() + ": " + ex.getMessage();
			}
		}
		return new AnalyticsDescriptor(caches, (last != null) ? flush(last) : null, this.flusher.pendingInMemory(),
				queued, queueError, this.spill.count(), this.spill.quarantinedCount(), state.name(),
				this.flushInterval.toString(), this.statistics.entriesEnqueued());
	}

	/**
	 * Flush both caches now, as one batch.
	 * @return what the flush did
	 */
	@WriteOperation
	public FlushDescriptor flush() {
		return flush(this.flusher.flush(FlushTrigger.MANUAL));
	}

	private static FlushDescriptor flush(FlushResult result) {
		return new FlushDescriptor(result.trigger().tag(), result.outcome().name(), result.finishedAt().toString(),
				result.duration().toString(), result.batchesEnqueued(), result.entriesEnqueued(),
				result.batchesSpilled(), result.pendingBatches(), result.error());
	}

	/**
	 * The caches, the last flush and the waiting batches.
	 *
	 * @param caches keys and counts held by each cache ({@code apiUsage},
	 * {@code featureEvaluations})
	 * @param lastFlush the last flush in this JVM, {@code null} before the first
	 * @param pendingBatches batches held in memory because the queue could not take them
	 * @param queuedBatches durable batches not yet applied, {@code null} when the queue
	 * could not be asked
	 * @param queueError why the queue could not be asked
	 * @param spilledBatches batches in the spill directory, waiting for replay
	 * @param quarantinedFiles spill files set aside as unreadable since start
	 * @param circuitBreaker state of the flush's circuit breaker
	 * @param flushInterval the periodic flush interval (ISO-8601)
	 * @param entriesEnqueued entries enqueued in this JVM
	 */
	public record AnalyticsDescriptor(Map<String, CacheDescriptor> caches, @Nullable FlushDescriptor lastFlush,
			int pendingBatches, @Nullable Long queuedBatches, @Nullable String queueError, long spilledBatches,
			long quarantinedFiles, String circuitBreaker, String flushInterval, long entriesEnqueued) {

	}

	/**
	 * What one cache holds until the next flush.
	 *
	 * @param keys keys (minute, key)
	 * @param counts the sum of their counts
	 */
	public record CacheDescriptor(long keys, long counts) {

	}

	/**
	 * What a flush did.
	 *
	 * @param trigger {@code periodic}, {@code overflow}, {@code shutdown} or {@code manual}
	 * @param outcome {@code EMPTY}, {@code ENQUEUED}, {@code DEFERRED}, {@code SPILLED} or
	 * {@code FAILED}
	 * @param finishedAt when it finished
	 * @param duration how long it took (ISO-8601)
	 * @param batchesEnqueued batches enqueued as durable tasks
	 * @param entriesEnqueued entries in them
	 * @param batchesSpilled batches written to the spill directory
	 * @param pendingBatches batches left in memory for the next flush
	 * @param error why batches could not be enqueued
	 */
	public record FlushDescriptor(String trigger, String outcome, String finishedAt, String duration,
			int batchesEnqueued, long entriesEnqueued, int batchesSpilled, int pendingBatches,
			@Nullable String error) {

	}

}
