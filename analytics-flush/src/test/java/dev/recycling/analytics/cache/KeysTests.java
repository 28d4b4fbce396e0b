package dev.recycling.analytics.cache;

import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for the cache keys, {@link ApiUsageKey} and {@link FeatureEvaluationKey}: their
 * normalization and their equality, which the counters rely on.
 */
class KeysTests {

	@Test
	void whiteSpaceOfAnyKindIsStrippedFromEitherEndAndInnerSpaceKept() {
		assertThat(new ApiUsageKey(" flags", "host\n", "\u2003env\u001F", Labels.NONE))
			.isEqualTo(new ApiUsageKey("flags", "host", "env", Labels.NONE));
		assertThat(Labels.client("\tmy app", "1.2\u2003", "\u3000curl/8").asMap()).containsExactly(
				Map.entry(Labels.CLIENT_APPLICATION_NAME, "my app"),
				Map.entry(Labels.CLIENT_APPLICATION_VERSION, "1.2"), Map.entry(Labels.USER_AGENT, "curl/8"));
		assertThat(new FeatureEvaluationKey("\u00A0dark-mode ", "env", Labels.NONE).feature())
			.as("a no-break space is not white space to String.strip()")
			.isEqualTo("\u00A0dark-mode");
		assertThatIllegalArgumentException().isThrownBy(() -> new ApiUsageKey("\u2003", "host", "env", Labels.NONE))
			.withMessage("resource must not be blank");
	}

	@Test
	void apiUsageKeysAreEqualByEveryPart() {
		Labels labels = Labels.client("web", "1.2", null);
		ApiUsageKey key = new ApiUsageKey("flags", "host", "env", labels);
		assertThat(key).isEqualTo(new ApiUsageKey("flags", "host", "env", Labels.client("web", "1.2", null)))
			.hasSameHashCodeAs(new ApiUsageKey(" flags", "host", "env", Labels.client("web", "1.2", null)))
			.isNotEqualTo(new ApiUsageKey("segments", "host", "env", labels))
			.isNotEqualTo(new ApiUsageKey("flags", "other", "env", labels))
			.isNotEqualTo(new ApiUsageKey("flags", "host", "other", labels))
			.isNotEqualTo(new ApiUsageKey("flags", "host", "env", Labels.client("web", "1.3", null)))
			.isNotEqualTo(new FeatureEvaluationKey("flags", "env", labels))
			.isNotEqualTo(null);
	}

	@Test
	void featureEvaluationKeysAreEqualByEveryPart() {
		Labels labels = Labels.client("web", null, null);
		FeatureEvaluationKey key = new FeatureEvaluationKey("dark-mode", "env", labels);
		assertThat(key).isEqualTo(new FeatureEvaluationKey("dark-mode", "env", Labels.client("web", null, null)))
			.hasSameHashCodeAs(new FeatureEvaluationKey("dark-mode ", "env", Labels.client(" web", null, null)))
			.isNotEqualTo(new FeatureEvaluationKey("light-mode", "env", labels))
			.isNotEqualTo(new FeatureEvaluationKey("dark-mode", "other", labels))
			.isNotEqualTo(new FeatureEvaluationKey("dark-mode", "env", Labels.NONE))
			.isNotEqualTo(null);
	}

}
