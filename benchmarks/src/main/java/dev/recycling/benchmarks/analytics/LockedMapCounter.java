package dev.recycling.benchmarks.analytics;

import java.util.HashMap;
import java.util.Map;

/**
 * The baseline: a map of counts under one global lock, the shape of Flagsmith's
 * {@code APIUsageCache} ({@code with self._lock: self._cache[key] += 1}).
 *
 * @param <K> the key type
 */
final class LockedMapCounter<K> {

	private final Object lock = new Object();

	private Map<K, Long> counts = new HashMap<>();

	void record(K key, long count) {
		synchronized (this.lock) {
			this.counts.merge(key, count, Long::sum);
		}
	}

	Map<K, Long> drain() {
		synchronized (this.lock) {
			Map<K, Long> drained = this.counts;
			this.counts = new HashMap<>();
			return drained;
		}
	}

}
