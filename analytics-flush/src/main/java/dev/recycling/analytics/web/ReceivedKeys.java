package dev.recycling.analytics.web;

import dev.recycling.analytics.cache.ApiUsageCache;
import dev.recycling.analytics.cache.ApiUsageKey;
import dev.recycling.analytics.cache.Labels;
import dev.recycling.analytics.cache.UsageCounter;
import org.jspecify.annotations.Nullable;

/**
 * The key of an annotated call's count, made from the headers as received, with a memo of the
 * last one per stripe of request threads.
 * <p>
 * A client sends the same environment key, host and labels on request after request, and
 * making their key checks every character of five headers for control characters, trims and
 * caps them and builds the labels and the key. The memo keeps the last headers a stripe of
 * threads saw with what they made (a key, or none), and a {@link UsageCounter.Handle handle}
 * of the key: a request with the same values records through the same handle, which finds the
 * key's count without hashing the key or reading the map (a profile of the sample shop put that
 * read at a quarter of the count's own time). The request's headers are compared with the
 * memo's values as received ({@link ReceivedRequestUsage#receivedHeadersEqual}: on Tomcat byte by
 * byte, without decoding them into strings), and read as strings only on a miss. The key is a
 * function of the values compared (and of the server's host when the {@code Host} header was
 * not used), so a memo hit makes exactly the key the request would have made; a miss makes it
 * and replaces the memo. Threads are spread over stripes by id, so that threads on different cores do not write
 * one memo in turn; a memo is immutable, so a thread reading another's sees it whole.
 *
 * @author recycling team
 */
final class ReceivedKeys {

	private static final int STRIPES = 16;

	// array slots between two stripes' memos: one stripe per 64-byte line, even uncompressed
	private static final int SPACING = 8;

	// headers longer than that together are not kept in a memo (the key caps them anyway)
	private static final int MAX_MEMO_CHARS = 1024;

	private final ApiUsageCache apiUsage;

	private final @Nullable Memo[] memos = new Memo[STRIPES * SPACING];

	ReceivedKeys(ApiUsageCache apiUsage) {
		this.apiUsage = apiUsage;
	}

	/**
	 * Count an annotated call in the API-usage cache, if it has a usable environment key.
	 * @param resource the handler's resource
	 * @param headerName the header of the environment key
	 * @param request the request as received
	 */
	void count(String resource, String headerName, ReceivedRequestUsage request) {
		UsageCounter.Handle<ApiUsageKey> handle = handleOf(resource, headerName, request);
		if (handle != null) {
			handle.record(1);
		}
	}

	/**
	 * Return the key of an annotated call.
	 * @param resource the handler's resource
	 * @param headerName the header of the environment key
	 * @param request the request as received
	 * @return the key, or {@code null} if the call is not counted (no usable environment key)
	 */
	@Nullable ApiUsageKey keyOf(String resource, String headerName, ReceivedRequestUsage request) {
		UsageCounter.Handle<ApiUsageKey> handle = handleOf(resource, headerName, request);
		return (handle != null) ? handle.key() : null;
	}

	private UsageCounter.@Nullable Handle<ApiUsageKey> handleOf(String resource, String headerName,
			ReceivedRequestUsage request) {
		int slot = slot();
		Memo memo = this.memos[slot];
		if (memo != null && memo.matches(resource, headerName, request)) {
			return memo.handle;
		}
		String[] names = { headerName, ReceivedRequestUsage.HOST_HEADER, UsageRecorder.CLIENT_NAME_HEADER,
				UsageRecorder.CLIENT_VERSION_HEADER, ReceivedRequestUsage.USER_AGENT_HEADER };
		@Nullable String[] values = new String[names.length];
		for (int i = 0; i < names.length; i++) {
			values[i] = request.receivedHeader(names[i]);
		}
		if (values[Memo.ENVIRONMENT_KEY] == null) {
			return null;
		}
		memo = Memo.make(resource, new ExpectedHeaders(names, values), request, this.apiUsage);
		if (memo.chars() <= MAX_MEMO_CHARS) {
			this.memos[slot] = memo;
		}
		return memo.handle;
	}

	@SuppressWarnings("deprecation") // Thread.threadId() is Java 19+
	private static int slot() {
		return (int) (Thread.currentThread().getId() & (STRIPES - 1)) * SPACING;
	}

	// the headers' names and values as received (each its first value, null if not sent: the
	// environment key's, the host's, the client's name, version and agent), and a handle of the
	// key made from them; server: the server's host if the key's host is the server's (no usable
	// Host header), null otherwise
	private static final class Memo {

		static final int ENVIRONMENT_KEY = 0;

		static final int HOST = 1;

		static final int NAME = 2;

		static final int VERSION = 3;

		static final int AGENT = 4;

		private final String resource;

		private final ExpectedHeaders headers;

		private final @Nullable String server;

		final UsageCounter.@Nullable Handle<ApiUsageKey> handle;

		private Memo(String resource, ExpectedHeaders headers, @Nullable String server,
				UsageCounter.@Nullable Handle<ApiUsageKey> handle) {
			this.resource = resource;
			this.headers = headers;
			this.server = server;
			this.handle = handle;
		}

		static Memo make(String resource, ExpectedHeaders headers, ReceivedRequestUsage request,
				ApiUsageCache apiUsage) {
			String usableKey = ReceivedRequestUsage.usable(headers.value(ENVIRONMENT_KEY));
			if (usableKey == null || usableKey.isBlank()) {
				return new Memo(resource, headers, null, null);
			}
			String usableHost = ReceivedRequestUsage.usable(headers.value(HOST));
			String server = (usableHost != null) ? null : request.serverHost();
			Labels labels = ReceivedRequestUsage.clientLabels(headers.value(NAME), headers.value(VERSION),
					headers.value(AGENT));
			ApiUsageKey key = new ApiUsageKey(resource, (usableHost != null) ? usableHost : server, usableKey, labels);
			return new Memo(resource, headers, server, apiUsage.handle(key));
		}

		// whether the request's headers are the memo's values, compared as received
		boolean matches(String resource, String headerName, ReceivedRequestUsage request) {
			return this.resource.equals(resource) && this.headers.name(ENVIRONMENT_KEY).equals(headerName)
					&& request.receivedHeadersEqual(this.headers)
					&& (this.server == null || this.server.equals(request.serverHost()));
		}

		int chars() {
			return this.headers.valueChars();
		}

	}

}
