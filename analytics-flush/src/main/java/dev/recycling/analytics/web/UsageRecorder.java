package dev.recycling.analytics.web;

import dev.recycling.analytics.cache.ApiUsageCache;
import dev.recycling.analytics.cache.FeatureEvaluationCache;
import dev.recycling.analytics.cache.Labels;
import jakarta.servlet.ServletRequest;

/**
 * Records usage on behalf of a request, counted only if the request succeeds: the counts are
 * held with the request and committed to the caches when its response completes with a
 * status below 400, and dropped when it completes with a 4xx or 5xx, with an exception, or
 * times out. A client that retries a failed request is so counted once.
 * <p>
 * Needs the {@link UsageRecordingFilter} in front of the request, which the auto-configuration
 * registers in servlet applications.
 *
 * @author recycling team
 */
public final class UsageRecorder {

	static final String ATTRIBUTE = UsageRecorder.class.getName() + ".pending";

	private final UsageRecords records;

	/**
	 * Create a recorder.
	 * @param apiUsage the API-usage cache
	 * @param featureEvaluations the feature-evaluation cache
	 */
	public UsageRecorder(ApiUsageCache apiUsage, FeatureEvaluationCache featureEvaluations) {
		this.records = new UsageRecords(apiUsage, featureEvaluations);
	}

	/**
	 * Count one API request if this request succeeds.
	 * @param request the request being served
	 * @param resource the resource called, such as {@code flags}
	 * @param host the host that served the request
	 * @param environmentKey the environment key of the caller
	 * @param labels the client's labels
	 */
	public void apiRequest(ServletRequest request, String resource, String host, String environmentKey,
			Labels labels) {
		pending(request).add(this.records.apiRequest(resource, host, environmentKey, labels));
	}

	/**
	 * Count feature evaluations if this request succeeds.
	 * @param request the request being served
	 * @param feature the feature
	 * @param environmentKey the environment key of the caller
	 * @param labels the client's labels
	 * @param count how many evaluations, zero or more
	 */
	public void featureEvaluations(ServletRequest request, String feature, String environmentKey, Labels labels,
			long count) {
		Runnable record = this.records.featureEvaluations(feature, environmentKey, labels, count);
		pending(request).add(record);
	}

	private static PendingUsage pending(ServletRequest request) {
		PendingUsage pending = (PendingUsage) request.getAttribute(ATTRIBUTE);
		if (pending == null) {
			throw new IllegalStateException("No UsageRecordingFilter in front of this request: register it (the "
					+ "auto-configuration does in servlet applications) or record to the caches directly");
		}
		return pending;
	}

}
