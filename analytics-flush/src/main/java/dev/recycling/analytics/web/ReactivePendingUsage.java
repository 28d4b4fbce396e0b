package dev.recycling.analytics.web;

import java.util.Objects;

import dev.recycling.analytics.cache.Labels;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpHeaders;
import org.springframework.http.server.reactive.ServerHttpRequest;

/**
 * The counts an exchange holds, with its request as the {@link UsageRecordingWebFilter}
 * received it: the {@link ReactiveUsageRecorder} reads the client's headers from it rather
 * than through the exchange that later filters (Spring Security's firewall) decorate.
 *
 * @author recycling team
 */
final class ReactivePendingUsage extends PendingUsage {

	private final ServerHttpRequest received;

	ReactivePendingUsage(ServerHttpRequest received) {
		this.received = received;
	}

	// the host the client called: its Host header, or the host of the request's URI
	String host() {
		String host = UsageRecords.host(headers()::getFirst);
		return (host != null) ? host : Objects.requireNonNullElse(this.received.getURI().getHost(), "unknown");
	}

	Labels clientLabels() {
		return UsageRecords.clientLabels(headers()::getFirst);
	}

	// a header's value, null if absent or holding a control character other than a tab
	@Nullable String header(String name) {
		return UsageRecords.headerValue(headers().getFirst(name));
	}

	private HttpHeaders headers() {
		return this.received.getHeaders();
	}

}
