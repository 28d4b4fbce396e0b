package dev.recycling.analytics.testsupport;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import dev.recycling.analytics.cache.ApiUsageKey;
import dev.recycling.analytics.cache.FeatureEvaluationKey;
import dev.recycling.analytics.cache.Labels;
import dev.recycling.analytics.cache.UsageCount;
import dev.recycling.analytics.task.AnalyticsBatch;

/**
 * Batches for tests.
 */
public final class Batches {

	private Batches() {
	}

	/**
	 * Return a batch with API usage on {@code resources} resources and evaluations of
	 * {@code features} features of one environment, in one minute.
	 * @param environmentKey the environment key
	 * @param resources how many distinct resources, each counted {@code count} times
	 * @param features how many distinct features, each counted {@code count} times
	 * @param count the count of each entry
	 * @return the batch
	 */
	public static AnalyticsBatch of(String environmentKey, int resources, int features, long count) {
		long minute = Instant.now().getEpochSecond() / 60;
		Labels labels = Labels.client("test", "1.0", "junit");
		List<UsageCount<ApiUsageKey>> api = new ArrayList<>();
		for (int i = 0; i < resources; i++) {
			api.add(new UsageCount<>(minute, new ApiUsageKey("resource-" + i, "host", environmentKey, labels), count));
		}
		List<UsageCount<FeatureEvaluationKey>> evaluations = new ArrayList<>();
		for (int i = 0; i < features; i++) {
			evaluations.add(new UsageCount<>(minute, new FeatureEvaluationKey("feature-" + i, environmentKey, labels),
					count));
		}
		return new AnalyticsBatch(UUID.randomUUID(), Instant.now(), "test", api, evaluations);
	}

}
