package dev.recycling.analytics.web;

import dev.recycling.analytics.cache.ApiUsageCache;
import dev.recycling.analytics.cache.FeatureEvaluationCache;
import dev.recycling.analytics.cache.Labels;
import org.jspecify.annotations.Nullable;

/**
 * The records a request holds until it ends, for the servlet and the WebFlux recorder alike:
 * each one, once run, counts in a cache.
 *
 * @author recycling team
 */
final class UsageRecords {

	static final String USER_AGENT_HEADER = "User-Agent";

	static final String HOST_HEADER = "Host";

	private final ApiUsageCache apiUsage;

	private final FeatureEvaluationCache featureEvaluations;

	UsageRecords(ApiUsageCache apiUsage, FeatureEvaluationCache featureEvaluations) {
		this.apiUsage = apiUsage;
		this.featureEvaluations = featureEvaluations;
	}

	Runnable apiRequest(String resource, String host, String environmentKey, Labels labels) {
		return () -> this.apiUsage.record(resource, host, environmentKey, labels);
	}

	// the client's labels from the values of its headers X-Client-Name, X-Client-Version and
	// User-Agent
	static Labels clientLabels(@Nullable String name, @Nullable String version, @Nullable String userAgent) {
		return Labels.client(headerValue(name), headerValue(version), headerValue(userAgent));
	}

	// a header's value, or null if it holds a control character other than a tab (which
	// Spring Security's firewall rejects; the recorders read the headers ahead of it)
	static @Nullable String headerValue(@Nullable String value) {
		if (value != null) {
			for (int i = 0; i < value.length(); i++) {
				char c = value.charAt(i);
				if (Character.isISOControl(c) && c != '\t') {
					return null;
				}
			}
		}
		return value;
	}

	Runnable featureEvaluations(String feature, String environmentKey, Labels labels, long count) {
		if (count < 0) {
			throw new IllegalArgumentException("count must not be negative: " + count);
		}
		return () -> this.featureEvaluations.record(feature, environmentKey, labels, count);
	}

}
