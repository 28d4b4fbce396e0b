package dev.recycling.analytics.web;

import java.util.function.Function;

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

	private static final String USER_AGENT_HEADER = "User-Agent";

	private static final String HOST_HEADER = "Host";

	private final ApiUsageCache apiUsage;

	private final FeatureEvaluationCache featureEvaluations;

	UsageRecords(ApiUsageCache apiUsage, FeatureEvaluationCache featureEvaluations) {
		this.apiUsage = apiUsage;
		this.featureEvaluations = featureEvaluations;
	}

	Runnable apiRequest(String resource, String host, String environmentKey, Labels labels) {
		return () -> this.apiUsage.record(resource, host, environmentKey, labels);
	}

	// the client's labels from its headers X-Client-Name, X-Client-Version and User-Agent,
	// looked up by the given function
	static Labels clientLabels(Function<String, @Nullable String> header) {
		return Labels.client(headerValue(header.apply(UsageRecorder.CLIENT_NAME_HEADER)),
				headerValue(header.apply(UsageRecorder.CLIENT_VERSION_HEADER)),
				headerValue(header.apply(USER_AGENT_HEADER)));
	}

	// the host the client called, from its Host header, or null
	static @Nullable String host(Function<String, @Nullable String> header) {
		return headerValue(header.apply(HOST_HEADER));
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
