package dev.recycling.analytics.task;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

import dev.recycling.analytics.cache.ApiUsageKey;
import dev.recycling.analytics.cache.FeatureEvaluationKey;
import dev.recycling.analytics.cache.UsageCount;

/**
 * Both caches' counts taken out by one flush: the unit that is enqueued as one durable
 * task, spilled to disk, and applied exactly once. Its id stays the same wherever it goes,
 * so a batch enqueued twice (a retry, a replayed spill file) is applied once.
 *
 * @param id the batch id
 * @param createdAt when the caches were drained, to the millisecond
 * @param trigger what flushed it: {@code periodic}, {@code overflow}, {@code shutdown} or
 * {@code manual}
 * @param apiUsage the API-usage counts
 * @param featureEvaluations the feature-evaluation counts
 * @author recycling team
 */
public record AnalyticsBatch(UUID id, Instant createdAt, String trigger, List<UsageCount<ApiUsageKey>> apiUsage,
		List<UsageCount<FeatureEvaluationKey>> featureEvaluations) {

	public AnalyticsBatch {
		// the encoding keeps milliseconds
		createdAt = createdAt.truncatedTo(ChronoUnit.MILLIS);
		apiUsage = List.copyOf(apiUsage);
		featureEvaluations = List.copyOf(featureEvaluations);
	}

	/**
	 * Return the number of entries (distinct minute and key) in the batch.
	 * @return the number of entries
	 */
	public int entries() {
		return this.apiUsage.size() + this.featureEvaluations.size();
	}

	/**
	 * Return whether the batch holds no count.
	 * @return {@code true} if empty
	 */
	public boolean isEmpty() {
		return entries() == 0;
	}

	/**
	 * Return the sum of the API-usage counts.
	 * @return the total
	 */
	public long apiUsageTotal() {
		return this.apiUsage.stream().mapToLong(UsageCount::count).sum();
	}

	/**
	 * Return the sum of the feature-evaluation counts.
	 * @return the total
	 */
	public long featureEvaluationTotal() {
		return this.featureEvaluations.stream().mapToLong(UsageCount::count).sum();
	}

}
