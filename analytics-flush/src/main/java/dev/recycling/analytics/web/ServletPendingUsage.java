package dev.recycling.analytics.web;

import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

/**
 * The counts a servlet request holds, with the request as the server received it: the
 * {@link UsageRecorder} and the {@link UsageRecordingFilter} read the client's headers from it
 * rather than through the wrappers that filters put around the request.
 *
 * @author recycling team
 */
final class ServletPendingUsage extends ReceivedRequestUsage {

	private final HttpServletRequest received;

	ServletPendingUsage(HttpServletRequest received) {
		this.received = received;
	}

	@Override
	@Nullable String receivedHeader(String name) {
		return this.received.getHeader(name);
	}

	@Override
	String serverHost() {
		return this.received.getServerName();
	}

}
