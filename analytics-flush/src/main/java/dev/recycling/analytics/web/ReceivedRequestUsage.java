package dev.recycling.analytics.web;

import dev.recycling.analytics.cache.ApiUsageCache;
import dev.recycling.analytics.cache.Labels;
import dev.recycling.analytics.web.ApiUsageAnnotations.Counted;
import org.jspecify.annotations.Nullable;

/**
 * The counts a web request holds, with the request as the usage filter received it: the
 * client's host, labels and environment key are read from it rather than through the
 * wrappers or decorators that later filters (Spring Security's firewall) put around it.
 *
 * @author recycling team
 */
abstract class ReceivedRequestUsage extends PendingUsage {

	/**
	 * Return a header of the request as received.
	 * @param name the header's name
	 * @return its first value, or {@code null}
	 */
	abstract @Nullable String receivedHeader(String name);

	/**
	 * Return the host the request was served for when it has no {@code Host} header.
	 * @return the host
	 */
	abstract String serverHost();

	// the host the client called: its Host header, or the server's
	final String host() {
		String host = UsageRecords.host(this::receivedHeader);
		return (host != null) ? host : serverHost();
	}

	final Labels clientLabels() {
		return UsageRecords.clientLabels(this::receivedHeader);
	}

	// the call of a handler method annotated with @ApiUsage, once the request has succeeded,
	// with the environment key from its header: a request without one is not counted
	final void countAnnotated(ApiUsageAnnotations annotations, @Nullable Object handler, ApiUsageCache apiUsage) {
		Counted counted = annotations.of(handler);
		if (counted != null) {
			String environmentKey = UsageRecords.headerValue(receivedHeader(counted.environmentKeyHeader()));
			if (environmentKey != null && !environmentKey.isBlank()) {
				apiUsage.record(counted.resource(), host(), environmentKey, clientLabels());
			}
		}
	}

}
