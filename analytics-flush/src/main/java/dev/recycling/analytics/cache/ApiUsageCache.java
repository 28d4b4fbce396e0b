package dev.recycling.analytics.cache;

import java.util.List;

/**
 * API-usage counts of this instance, kept in memory until the next flush: how often each
 * resource was called, by host, environment key and client labels. Recording is lock-free
 * and safe from any request thread.
 *
 * @author recycling team
 */
public final class ApiUsageCache {

	private final UsageCounter<ApiUsageKey> counter;

	/**
	 * Create a cache.
	 * @param counter the counter that holds the counts
	 */
	public ApiUsageCache(UsageCounter<ApiUsageKey> counter) {
		this.counter = counter;
	}

	/**
	 * Record one call.
	 * @param resource the resource called, such as {@code flags}
	 * @param host the host that served it
	 * @param environmentKey the caller's environment key
	 * @param labels the client's labels
	 */
	public void record(String resource, String host, String environmentKey, Labels labels) {
		this.counter.record(new ApiUsageKey(resource, host, environmentKey, labels), 1);
	}

	/**
	 * Record calls.
	 * @param key what was called
	 * @param count how many calls, zero or more
	 */
	public void record(ApiUsageKey key, long count) {
		this.counter.record(key, count);
	}

	/**
	 * Return a handle that records one key, for a caller that records the same key again and
	 * again.
	 * @param key what is called
	 * @return the handle
	 * @see UsageCounter#handle(Object)
	 */
	public UsageCounter.Handle<ApiUsageKey> handle(ApiUsageKey key) {
		return this.counter.handle(key);
	}

	/**
	 * Start a new minute bucket if the clock's minute changed.
	 * @see UsageCounter#roll()
	 */
	public void roll() {
		this.counter.roll();
	}

	/**
	 * Take every count out, for a flush.
	 * @return the counts by minute and key
	 */
	public List<UsageCount<ApiUsageKey>> drain() {
		return this.counter.drain();
	}

	/**
	 * Return how many keys (minute, key) are held until the next flush.
	 * @return the number of keys, approximate while writers run
	 */
	public long keys() {
		return this.counter.keys();
	}

	/**
	 * Return the sum of the counts held until the next flush.
	 * @return the total, approximate while writers run
	 */
	public long total() {
		return this.counter.total();
	}

}
