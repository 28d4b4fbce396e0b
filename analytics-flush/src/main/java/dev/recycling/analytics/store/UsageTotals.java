package dev.recycling.analytics.store;

import java.util.Map;

/**
 * Persisted totals of one environment, over all minutes and labels.
 *
 * @param apiRequests API requests by resource
 * @param featureEvaluations feature evaluations by feature
 * @author recycling team
 */
public record UsageTotals(Map<String, Long> apiRequests, Map<String, Long> featureEvaluations) {

	public UsageTotals {
		apiRequests = Map.copyOf(apiRequests);
		featureEvaluations = Map.copyOf(featureEvaluations);
	}

}
