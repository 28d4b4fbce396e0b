package dev.recycling.analytics.task;

import dev.recycling.analytics.cache.ApiUsageKey;
import dev.recycling.analytics.cache.FeatureEvaluationKey;
import dev.recycling.analytics.cache.Labels;
import dev.recycling.analytics.cache.UsageCount;

/**
 * Estimates the heap a batch holds, so that batches kept in memory while the database is
 * down are bounded in bytes rather than entries: an entry with long labels holds about ten
 * times what one without labels does.
 * <p>
 * The estimate assumes a 64-bit JVM with compressed references. It errs on the high side:
 * every object is rounded up to 8 bytes and an object shared by several entries (a label
 * name, an environment key) is counted for each, so that the estimate itself needs no
 * memory.
 *
 * @author recycling team
 */
public final class BatchFootprint {

	private static final long REFERENCE = 4;

	private static final long HEADER = 12;

	private static final long ARRAY_HEADER = 16;

	// record UsageCount: header, long minute, long count, key reference
	private static final long USAGE_COUNT = align(HEADER + 8 + 8 + REFERENCE);

	private static final long API_USAGE_KEY = align(HEADER + 4 * REFERENCE);

	private static final long FEATURE_EVALUATION_KEY = align(HEADER + 3 * REFERENCE);

	// Labels: header, hash, the reference to its array of names and values
	private static final long LABELS = align(HEADER + REFERENCE + 4);

	// String: header, hash, coder, hashIsZero, value reference
	private static final long STRING = align(HEADER + 4 + 1 + 1 + REFERENCE);

	private static final long BATCH = align(HEADER + 5 * REFERENCE) + 2 * align(ARRAY_HEADER + 4);

	private BatchFootprint() {
	}

	/**
	 * Estimate the heap held by a batch and the objects it refers to.
	 * @param batch the batch
	 * @return the estimate in bytes
	 */
	public static long of(AnalyticsBatch batch) {
		long bytes = BATCH + align(ARRAY_HEADER + REFERENCE * batch.apiUsage().size())
				+ align(ARRAY_HEADER + REFERENCE * batch.featureEvaluations().size());
		for (UsageCount<ApiUsageKey> count : batch.apiUsage()) {
			ApiUsageKey key = count.key();
			bytes += USAGE_COUNT + API_USAGE_KEY + string(key.resource()) + string(key.host())
					+ string(key.environmentKey()) + labels(key.labels());
		}
		for (UsageCount<FeatureEvaluationKey> count : batch.featureEvaluations()) {
			FeatureEvaluationKey key = count.key();
			bytes += USAGE_COUNT + FEATURE_EVALUATION_KEY + string(key.feature()) + string(key.environmentKey())
					+ labels(key.labels());
		}
		return bytes;
	}

	private static long labels(Labels labels) {
		if (labels == Labels.NONE) {
			return 0;
		}
		long[] bytes = { LABELS + align(ARRAY_HEADER + 2L * REFERENCE * labels.size()) };
		labels.forEach((name, value) -> bytes[0] += string(name) + string(value));
		return bytes[0];
	}

	private static long string(String value) {
		return STRING + align(ARRAY_HEADER + (long) value.length() * (isLatin1(value) ? 1 : 2));
	}

	private static boolean isLatin1(String value) {
		for (int i = 0; i < value.length(); i++) {
			if (value.charAt(i) > 0xFF) {
				return false;
			}
		}
		return true;
	}

	private static long align(long bytes) {
		return (bytes + 7) & ~7L;
	}

}
