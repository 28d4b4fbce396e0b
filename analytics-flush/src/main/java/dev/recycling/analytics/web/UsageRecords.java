package dev.recycling.analytics.web;

import dev.recycling.analytics.cache.ApiUsageCache;
import dev.recycling.analytics.cache.FeatureEvaluationCache;
import dev.recycling.analytics.cache.Labels;

/**
 * The records a request holds until it ends, for the servlet and the WebFlux recorder alike:
 * each one, once run, counts in a cache.
 *
 * @author recycling team
 */
final class UsageRecords {

	private final ApiUsageCache apiUsage;

	private final FeatureEvaluationCache featureEvaluations;

	UsageRecords(ApiUsageCache apiUsage, FeatureEvaluationCache featureEvaluations) {
		this.apiUsage = apiUsage;
		this.featureEvaluations = featureEvaluations;
	}

	Runnable apiRequest(String resource, String host, String environmentKey, Labels labels) {
		return () -> this.apiUsage.record(resource, host, environmentKey, labels);
	}

	Runnable featureEvaluations(String feature, String environmentKey, Labels labels, long count) {
		if (count < 0) {
			throw new IllegalArgumentException("count must not be negative: " + count);
		}
		return () -> this.featureEvaluations.record(feature, environmentKey, labels, count);
	}

}
