package dev.recycling.analytics.cache;

import java.time.Instant;

/**
 * A count taken out of a cache: how often a key was recorded within one minute.
 *
 * @param <K> the key type
 * @param minute the minute bucket, in minutes since the epoch (UTC)
 * @param key the key
 * @param count the count, positive
 * @author recycling team
 */
public record UsageCount<K>(long minute, K key, long count) {

	/**
	 * Return the start of the minute bucket.
	 * @return the instant the minute starts
	 */
	public Instant bucketStart() {
		return Instant.ofEpochSecond(this.minute * 60);
	}

}
