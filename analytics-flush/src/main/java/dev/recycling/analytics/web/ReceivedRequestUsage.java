package dev.recycling.analytics.web;

import java.util.Objects;

import dev.recycling.analytics.cache.Labels;
import dev.recycling.analytics.web.ApiUsageAnnotations.Counted;
import org.jspecify.annotations.Nullable;

/**
 * The counts a web request holds, with the request as received (servlet: under every
 * wrapper; WebFlux: as the usage filter received it): the client's host, labels and
 * environment key are read from it rather than through the wrappers or decorators that filters
 * (Spring Security's firewall) put around it.
 *
 * @author recycling team
 */
abstract class ReceivedRequestUsage extends PendingUsage {

	static final String HOST_HEADER = "Host";

	static final String USER_AGENT_HEADER = "User-Agent";

	/**
	 * Return a header of the request as received.
	 * @param name the header's name
	 * @return its first value, or {@code null}
	 */
	abstract @Nullable String receivedHeader(String name);

	/**
	 * Return whether the request as received has the headers expected: for each name, what
	 * {@link #receivedHeader(String)} returns equals the value expected. A server whose headers
	 * can be compared as received, without making strings of them, overrides it.
	 * @param expected the headers' names and values ({@code null} for a header the request
	 * does not have)
	 * @return whether each header's first value is the one expected
	 */
	boolean receivedHeadersEqual(ExpectedHeaders expected) {
		for (int i = 0; i < expected.size(); i++) {
			if (!Objects.equals(receivedHeader(expected.name(i)), expected.value(i))) {
				return false;
			}
		}
		return true;
	}

	/**
	 * Return the host the request was served for when it has no {@code Host} header.
	 * @return the host
	 */
	abstract String serverHost();

	// the host the client called: its Host header, or the server's
	final String host() {
		String host = header(HOST_HEADER);
		return (host != null) ? host : serverHost();
	}

	final Labels clientLabels() {
		return clientLabels(receivedHeader(UsageRecorder.CLIENT_NAME_HEADER),
				receivedHeader(UsageRecorder.CLIENT_VERSION_HEADER), receivedHeader(USER_AGENT_HEADER));
	}

	// the client's labels from its headers as received, each left out if not usable
	static Labels clientLabels(@Nullable String name, @Nullable String version, @Nullable String agent) {
		return Labels.client(usable(name), usable(version), usable(agent));
	}

	// the call of a handler method annotated with @ApiUsage, once the request has succeeded,
	// with the environment key from its header: a request without one is not counted
	final void countAnnotated(ApiUsageAnnotations annotations, @Nullable Object handler, ReceivedKeys keys) {
		Counted counted = annotations.of(handler);
		if (counted != null) {
			keys.count(counted.resource(), counted.environmentKeyHeader(), this);
		}
	}

	// a header's value, or null if it holds a control character other than a tab (which
	// Spring Security's firewall rejects; the recorders read the headers ahead of it)
	private @Nullable String header(String name) {
		return usable(receivedHeader(name));
	}

	/**
	 * Return a header value if it holds no control character other than a tab.
	 * @param value the value as received
	 * @return the value, or {@code null} if it holds one or is {@code null}
	 */
	static @Nullable String usable(@Nullable String value) {
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

}
