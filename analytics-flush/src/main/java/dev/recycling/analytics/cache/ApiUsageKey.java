package dev.recycling.analytics.cache;

import org.jspecify.annotations.Nullable;

/**
 * What one API-usage count is kept by: the resource called, the host that served it, the
 * caller's environment key and the client's labels. Values are trimmed and length-capped.
 *
 * @param resource the resource, such as {@code flags}
 * @param host the host that served the request
 * @param environmentKey the environment key of the caller
 * @param labels the client's labels
 * @author recycling team
 */
public record ApiUsageKey(String resource, String host, String environmentKey, Labels labels) {

	/**
	 * Longest resource kept, in characters.
	 */
	public static final int MAX_RESOURCE_LENGTH = 64;

	/**
	 * Longest host kept, in characters.
	 */
	public static final int MAX_HOST_LENGTH = 255;

	/**
	 * Longest environment key kept, in characters.
	 */
	public static final int MAX_ENVIRONMENT_KEY_LENGTH = 128;

	public ApiUsageKey {
		resource = Keys.required(resource, MAX_RESOURCE_LENGTH, "resource");
		host = Keys.cap(host, MAX_HOST_LENGTH);
		environmentKey = Keys.required(environmentKey, MAX_ENVIRONMENT_KEY_LENGTH, "environmentKey");
	}

	// equals and hashCode written out: the ones a record generates call through method
	// handles, which C2 did not inline into the request path (a profile of the demo under
	// load found a tenth of a counted request's recording in their frames)
	@Override
	public boolean equals(@Nullable Object other) {
		return this == other || (other instanceof ApiUsageKey that && this.environmentKey.equals(that.environmentKey)
				&& this.resource.equals(that.resource) && this.host.equals(that.host)
				&& this.labels.equals(that.labels));
	}

	@Override
	public int hashCode() {
		int hash = this.resource.hashCode();
		hash = 31 * hash + this.host.hashCode();
		hash = 31 * hash + this.environmentKey.hashCode();
		return 31 * hash + this.labels.hashCode();
	}

}
