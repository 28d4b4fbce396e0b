package dev.recycling.analytics.web;

import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

import org.springframework.util.ClassUtils;

/**
 * The counts a servlet request holds, with the request as the server received it: the
 * {@link UsageRecorder} and the {@link UsageRecordingFilter} read the client's headers from it
 * rather than through the wrappers that filters put around the request. {@link #of} makes it;
 * on Tomcat it is a {@link TomcatPendingUsage}.
 *
 * @author recycling team
 */
class ServletPendingUsage extends ReceivedRequestUsage {

	private static final boolean TOMCAT = ClassUtils.isPresent("org.apache.catalina.connector.RequestFacade",
			ServletPendingUsage.class.getClassLoader());

	private final HttpServletRequest received;

	ServletPendingUsage(HttpServletRequest received) {
		this.received = received;
	}

	/**
	 * Make the counts of a request as received: on Tomcat, one that compares its headers
	 * without decoding them.
	 * @param received the request as the server received it
	 * @return its pending usage
	 */
	static ServletPendingUsage of(HttpServletRequest received) {
		ServletPendingUsage tomcat = TOMCAT ? TomcatPendingUsage.of(received) : null;
		return (tomcat != null) ? tomcat : new ServletPendingUsage(received);
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
