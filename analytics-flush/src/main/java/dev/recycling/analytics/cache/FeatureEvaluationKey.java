package dev.recycling.analytics.cache;

import org.jspecify.annotations.Nullable;

/**
 * What one feature-evaluation count is kept by: the feature, the environment key and the
 * client's labels. Values are trimmed and length-capped.
 *
 * @param feature the feature's name
 * @param environmentKey the environment key of the caller
 * @param labels the client's labels
 * @author recycling team
 */
public record FeatureEvaluationKey(String feature, String environmentKey, Labels labels) {

	/**
	 * Longest feature name kept, in characters.
	 */
	public static final int MAX_FEATURE_LENGTH = 255;

	public FeatureEvaluationKey {
		feature = Keys.required(feature, MAX_FEATURE_LENGTH, "feature");
		environmentKey = Keys.required(environmentKey, ApiUsageKey.MAX_ENVIRONMENT_KEY_LENGTH, "environmentKey");
	}

	// equals and hashCode written out, as ApiUsageKey's are
	@Override
	public boolean equals(@Nullable Object other) {
		return this == other || (other instanceof FeatureEvaluationKey that
				&& this.environmentKey.equals(that.environmentKey) && this.feature.equals(that.feature)
				&& this.labels.equals(that.labels));
	}

	@Override
	public int hashCode() {
		int hash = this.feature.hashCode();
		hash = 31 * hash + this.environmentKey.hashCode();
		return 31 * hash + this.labels.hashCode();
	}

}
