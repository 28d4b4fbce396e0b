package dev.recycling.analytics.cache;

import java.util.List;

/**
 * Feature-evaluation counts of this instance, kept in memory until the next flush: how
 * often each feature was evaluated, by environment key and client labels. Recording is
 * lock-free and safe from any request thread.
 *
 * @author recycling team
 */
public final class FeatureEvaluationCache {

	private final UsageCounter<FeatureEvaluationKey> counter;

	/**
	 * Create a cache.
	 * @param counter the counter that holds the counts
	 */
	public FeatureEvaluationCache(UsageCounter<FeatureEvaluationKey> counter) {
		this.counter = counter;
	}

	/**
	 * Record evaluations of a feature.
	 * @param feature the feature's name
	 * @param environmentKey the caller's environment key
	 * @param labels the client's labels
	 * @param count how many evaluations, zero or more
	 */
	public void record(String feature, String environmentKey, Labels labels, long count) {
		this.counter.record(new FeatureEvaluationKey(feature, environmentKey, labels), count);
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
	public List<UsageCount<FeatureEvaluationKey>> drain() {
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
