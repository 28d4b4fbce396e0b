package dev.recycling.analytics.actuate;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.recycling.analytics.cache.ApiUsageCache;
import dev.recycling.analytics.cache.FeatureEvaluationCache;
import dev.recycling.analytics.flush.AnalyticsBacklog;
import dev.recycling.analytics.flush.AnalyticsFlusher;
import dev.recycling.analytics.flush.AnalyticsStatistics;
import dev.recycling.analytics.flush.FlushResult;
import dev.recycling.analytics.flush.FlushTrigger;
import dev.recycling.analytics.spill.SpillDirectory;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import org.jspecify.annotations.Nullable;

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

	private final ApiUsageCache apiUsage;

	private final FeatureEvaluationCache featureEvaluations;

	private final AnalyticsFlusher flusher;

	private final AnalyticsStatistics statistics;

	private final SpillDirectory spill;

	private final CircuitBreaker circuitBreaker;

	private final Duration flushInterval;

	/**
	 * Create the endpoint.
	 * @param apiUsage the API-usage cache
	 * @param featureEvaluations the feature-evaluation cache
	 * @param flusher the flusher
	 * @param statistics the flush statistics of this JVM
	 * @param spill the spill directory
	 * @param circuitBreaker the circuit breaker of the periodic flush
	 * @param flushInterval the flush interval
	 */
	public AnalyticsEndpoint(ApiUsageCache apiUsage, FeatureEvaluationCache featureEvaluations,
			AnalyticsFlusher flusher, AnalyticsStatistics statistics, SpillDirectory spill,
			CircuitBreaker circuitBreaker, Duration flushInterval) {
		this.apiUsage = apiUsage;
		this.featureEvaluations = featureEvaluations;
		this.flusher = flusher;
		this.statistics = statistics;
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
		AnalyticsBacklog backlog = this.flusher.backlog(false);
		return new AnalyticsDescriptor(caches, (last != null) ? flush(last) : null, backlog.unappliedBatches(),
				backlog.batchesInMemory(), this.flusher.pendingBytes(), backlog.batchesQueued(), backlog.queueError(),
				backlog.batchesSpilled(), this.spill.quarantinedCount(), this.circuitBreaker.getState().name(),
				this.flushInterval.toString(), this.statistics.entriesEnqueued(),
				new LostDescriptor(this.statistics.batchesLost(), this.statistics.countsLost()));
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
				result.batchesSpilled(), result.pendingBatches(), result.batchesLost(), result.countsLost(),
				result.error());
	}

	/**
	 * The caches, the last flush and the waiting batches.
	 *
	 * @param caches keys and counts held by each cache ({@code apiUsage},
	 * {@code featureEvaluations})
	 * @param lastFlush the last flush in this JVM, {@code null} before the first
	 * @param unappliedBatches every batch not yet applied: the caches' next one, in memory,
	 * spilled and queued; {@code null} when the queue could not be asked. Once it is 0 the
	 * applied totals equal what this instance recorded
	 * @param pendingBatches batches held in memory because the queue could not take them
	 * @param pendingBytes the heap those batches hold, estimated
	 * @param queuedBatches durable batches not yet applied, {@code null} when the queue
	 * could not be asked
	 * @param queueError why the queue could not be asked
	 * @param spilledBatches batches in the spill directory, waiting for replay
	 * @param quarantinedFiles spill files set aside as unreadable since start
	 * @param circuitBreaker state of the flush's circuit breaker
	 * @param flushInterval the periodic flush interval (ISO-8601)
	 * @param entriesEnqueued entries enqueued in this JVM
	 * @param lost what this JVM could neither enqueue nor spill
	 */
	public record AnalyticsDescriptor(Map<String, CacheDescriptor> caches, @Nullable FlushDescriptor lastFlush,
			@Nullable Long unappliedBatches, int pendingBatches, long pendingBytes, @Nullable Long queuedBatches,
			@Nullable String queueError, long spilledBatches, long quarantinedFiles, String circuitBreaker,
			String flushInterval, long entriesEnqueued, LostDescriptor lost) {

	}

	/**
	 * What was lost: batches that could be neither enqueued nor spilled.
	 *
	 * @param batches the batches
	 * @param counts the counts they held
	 */
	public record LostDescriptor(long batches, long counts) {

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
	 * @param batchesLost batches neither enqueued nor spilled
	 * @param countsLost the counts they held
	 * @param error why batches could not be enqueued
	 */
	public record FlushDescriptor(String trigger, String outcome, String finishedAt, String duration,
			int batchesEnqueued, long entriesEnqueued, int batchesSpilled, int pendingBatches, int batchesLost,
			long countsLost, @Nullable String error) {

	}

}
