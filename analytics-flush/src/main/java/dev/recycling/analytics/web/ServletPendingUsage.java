package dev.recycling.analytics.web;

import dev.recycling.analytics.cache.Labels;
import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

/**
 * The counts a servlet request holds, with the request as the {@link UsageRecordingFilter}
 * received it: the {@link UsageRecorder} reads the client's headers from it rather than
 * through the wrappers that later filters put around the request.
 *
 * @author recycling team
 */
final class ServletPendingUsage extends PendingUsage {

	private final HttpServletRequest received;

	ServletPendingUsage(HttpServletRequest received) {
		this.received = received;
	}

	// the host the client called: its Host header, or the server's name
	String host() {
		String host = UsageRecords.host(this.received::getHeader);
		return (host != null) ? host : this.received.getServerName();
	}

	Labels clientLabels() {
		return UsageRecords.clientLabels(this.received::getHeader);
	}

	// a header's value, null if absent or holding a control character other than a tab
	@Nullable String header(String name) {
		return UsageRecords.headerValue(this.received.getHeader(name));
	}

}
