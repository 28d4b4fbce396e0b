package dev.recycling.analytics.task;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.recycling.analytics.cache.ApiUsageKey;
import dev.recycling.analytics.cache.FeatureEvaluationKey;
import dev.recycling.analytics.cache.Labels;
import dev.recycling.analytics.cache.UsageCount;
import dev.recycling.analytics.testsupport.Batches;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link BatchCodec}.
 */
class BatchCodecTests {

	private final BatchCodec codec = new BatchCodec();

	@Test
	void batchSurvivesTheRoundTrip() throws Exception {
		AnalyticsBatch batch = new AnalyticsBatch(UUID.randomUUID(), Instant.ofEpochMilli(1_700_000_000_123L),
				"shutdown",
				List.of(new UsageCount<>(28_000_000, new ApiUsageKey("flags", "h1", "env",
						Labels.of(Map.of("user_agent", "curl \"8\" ü"))), 5),
						new UsageCount<>(28_000_001, new ApiUsageKey("flags", "h1", "env", Labels.NONE), 1)),
				List.of(new UsageCount<>(28_000_000, new FeatureEvaluationKey("dark-mode", "env", Labels.NONE),
						Long.MAX_VALUE)));
		assertThat(this.codec.decode(this.codec.encode(batch))).isEqualTo(batch);
	}

	@Test
	void repeatedStringsAreWrittenOnceSoALargeBatchIsCompact() {
		AnalyticsBatch batch = Batches.of("a-long-environment-key-repeated-everywhere", 10_000, 0, 7);
		byte[] encoded = this.codec.encode(batch);
		assertThat(encoded.length).as("bytes per entry").isLessThan(batch.entries() * 8);
	}

	@Test
	void damagedBytesAreRejected() {
		byte[] encoded = this.codec.encode(Batches.of("env", 100, 100, 1));
		byte[] damaged = encoded.clone();
		damaged[damaged.length / 2] ^= 0x5A;
		assertThatExceptionOfType(CorruptBatchException.class).isThrownBy(() -> this.codec.decode(damaged));
	}

	@Test
	void truncatedBytesAreRejected() {
		byte[] encoded = this.codec.encode(Batches.of("env", 100, 100, 1));
		assertThatExceptionOfType(CorruptBatchException.class)
			.isThrownBy(() -> this.codec.decode(Arrays.copyOf(encoded, encoded.length - 10)));
		assertThatExceptionOfType(CorruptBatchException.class)
			.isThrownBy(() -> this.codec.decode(Arrays.copyOf(encoded, 3)))
			.withMessageContaining("Too short");
	}

	@Test
	void unknownVersionIsRejectedWithTheVersion() {
		byte[] encoded = this.codec.encode(Batches.of("env", 1, 1, 1));
		encoded[4] = 9;
		assertThatExceptionOfType(CorruptBatchException.class).isThrownBy(() -> this.codec.decode(encoded))
			.withMessageContaining("version 9");
	}

	@Test
	void otherFilesAreNotBatches() {
		assertThatExceptionOfType(CorruptBatchException.class)
			.isThrownBy(() -> this.codec.decode("{\"json\": true}".getBytes()))
			.withMessageContaining("RCAB");
	}

}
