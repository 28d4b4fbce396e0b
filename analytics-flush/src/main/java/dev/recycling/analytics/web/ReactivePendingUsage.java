package dev.recycling.analytics.web;

import java.util.Objects;

import org.jspecify.annotations.Nullable;

import org.springframework.http.server.reactive.ServerHttpRequest;

/**
 * The counts an exchange holds, with its request as the {@link UsageRecordingHttpHandler}
 * received it: the {@link ReactiveUsageRecorder} reads the client's headers from it rather
 * than through the exchange that filters (Spring Security's firewall) decorate.
 *
 * @author recycling team
 */
final class ReactivePendingUsage extends ReceivedRequestUsage {

	private final ServerHttpRequest received;

	ReactivePendingUsage(ServerHttpRequest received) {
		this.received = received;
	}

	@Override
	@Nullable String receivedHeader(String name) {
		return this.received.getHeaders().getFirst(name);
	}

	@Override
	String serverHost() {
		return Objects.requireNonNullElse(this.received.getURI().getHost(), "unknown");
	}

}
