package dev.recycling.trigger;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link LimitDrawer}.
 */
class LimitDrawerTests {

	private final LimitDrawer drawer = new LimitDrawer(new SplittableRandom(42));

	@Test
	void requestLimitCoversTheWholeInclusiveRange() {
		Set<Long> drawn = new HashSet<>();
		for (int i = 0; i < 2_000; i++) {
			drawn.add(this.drawer.draw(100, 20, null, null).maxRequests());
		}
		assertThat(drawn).allSatisfy((limit) -> assertThat(limit).isBetween(100L, 120L));
		assertThat(drawn).hasSize(21).contains(100L, 120L);
	}

	@Test
	void requestLimitIsRoughlyUniform() {
		int[] counts = new int[5];
		int draws = 50_000;
		for (int i = 0; i < draws; i++) {
			counts[(int) (this.drawer.draw(10, 4, null, null).maxRequests() - 10)]++;
		}
		// each of the 5 values expects 10 000 draws; 5 standard deviations is about 450
		assertThat(java.util.Arrays.stream(counts).boxed()).allSatisfy((count) -> assertThat(count).isBetween(9_500, 10_500));
	}

	@Test
	void noJitterDrawsTheLimitItself() {
		assertThat(this.drawer.draw(200, 0, Duration.ofHours(1), null))
			.isEqualTo(new GenerationLimits(200, Duration.ofHours(1)));
	}

	@Test
	void disabledRequestLimitStaysDisabledWhateverTheJitter() {
		assertThat(this.drawer.draw(0, 0, null, null)).isEqualTo(GenerationLimits.NONE);
	}

	@Test
	void lifetimeLimitCoversTheInclusiveRange() {
		Set<Duration> drawn = new HashSet<>();
		for (int i = 0; i < 2_000; i++) {
			drawn.add(this.drawer.draw(0, 0, Duration.ofSeconds(10), Duration.ofMillis(9)).maxLifetime());
		}
		assertThat(drawn).allSatisfy((lifetime) -> assertThat(lifetime).isBetween(Duration.ofMillis(10_000),
				Duration.ofMillis(10_009)));
		assertThat(drawn).hasSize(10);
	}

}
