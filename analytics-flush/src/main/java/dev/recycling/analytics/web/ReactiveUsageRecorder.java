package dev.recycling.analytics.web;

import dev.recycling.analytics.cache.ApiUsageCache;
import dev.recycling.analytics.cache.FeatureEvaluationCache;
import dev.recycling.analytics.cache.Labels;

import org.springframework.web.server.ServerWebExchange;

/**
 * The WebFlux counterpart of {@link UsageRecorder}: records usage on behalf of an exchange,
 * counted only if it succeeds. The counts are held with the exchange and committed to the
 * caches when its response has been sent with a status below 400; they are dropped when the
 * exchange fails (an error, whatever response it becomes), ends with a 4xx or 5xx, or is
 * cancelled because the client went away.
 * <p>
 * Needs the {@link UsageRecordingHttpHandler} around the exchange, which the
 * auto-configuration registers in reactive web applications.
 *
 * @author recycling team
 */
public final class ReactiveUsageRecorder {

	private final UsageRecords records;

	/**
	 * Create a recorder.
	 * @param apiUsage the API-usage cache
	 * @param featureEvaluations the feature-evaluation cache
	 */
	public ReactiveUsageRecorder(ApiUsageCache apiUsage, FeatureEvaluationCache featureEvaluations) {
		this.records = new UsageRecords(apiUsage, featureEvaluations);
	}

	/**
	 * Count one API request if this exchange succeeds.
	 * @param exchange the exchange being served
	 * @param resource the resource called, such as {@code flags}
	 * @param host the host that served the request
	 * @param environmentKey the environment key of the caller
	 * @param labels the client's labels
	 */
	public void apiRequest(ServerWebExchange exchange, String resource, String host, String environmentKey,
			Labels labels) {
		pending(exchange).add(this.records.apiRequest(resource, host, environmentKey, labels));
	}

	/**
	 * Count one API request if this exchange succeeds, with the host the client called (its
	 * {@code Host} header, or the host of the request's URI) and the client's labels
	 * ({@link #clientLabels(ServerWebExchange)}). As {@link UsageRecorder} does, it reads the
	 * headers from the request as the {@link UsageRecordingHttpHandler} received it.
	 * @param exchange the exchange being served
	 * @param resource the resource called, such as {@code flags}
	 * @param environmentKey the environment key of the caller
	 */
	public void apiRequest(ServerWebExchange exchange, String resource, String environmentKey) {
		ReactivePendingUsage pending = reactivePending(exchange);
		pending.add(this.records.apiRequest(resource, pending.host(), environmentKey, pending.clientLabels()));
	}

	/**
	 * Return the client's labels from the request's headers:
	 * {@value UsageRecorder#CLIENT_NAME_HEADER}, {@value UsageRecorder#CLIENT_VERSION_HEADER}
	 * and {@code User-Agent}, normalized by {@link Labels#client(String, String, String)}.
	 * @param exchange the exchange being served
	 * @return the labels, {@link Labels#NONE} if it sent none of them
	 */
	public Labels clientLabels(ServerWebExchange exchange) {
		return reactivePending(exchange).clientLabels();
	}

	/**
	 * Count feature evaluations if this exchange succeeds.
	 * @param exchange the exchange being served
	 * @param feature the feature
	 * @param environmentKey the environment key of the caller
	 * @param labels the client's labels
	 * @param count how many evaluations, zero or more
	 */
	public void featureEvaluations(ServerWebExchange exchange, String feature, String environmentKey, Labels labels,
			long count) {
		Runnable record = this.records.featureEvaluations(feature, environmentKey, labels, count);
		pending(exchange).add(record);
	}

	private static ReactivePendingUsage reactivePending(ServerWebExchange exchange) {
		if (pending(exchange) instanceof ReactivePendingUsage reactive) {
			return reactive;
		}
		throw new IllegalStateException("The exchange's usage was not set up by UsageRecordingHttpHandler: pass "
				+ "the host and labels to record it");
	}

	private static PendingUsage pending(ServerWebExchange exchange) {
		PendingUsage pending = exchange.getAttribute(UsageRecorder.ATTRIBUTE);
		if (pending == null) {
			throw new IllegalStateException("No UsageRecordingHttpHandler around this exchange: decorate WebFlux's "
					+ "HttpHandler with it (the auto-configuration does in reactive web applications) or record to the "
					+ "caches directly");
		}
		return pending;
	}

}
