package dev.recycling.analytics.flush;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import dev.recycling.analytics.cache.UsageCount;
import dev.recycling.analytics.cache.UsageCounter;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link MinuteRoller}: the caches start a new minute when the wall clock's minute
 * changes, and the roller's thread ends when it stops.
 */
class MinuteRollerTests {

	private static final long MINUTE = 60_000;

	@Test
	void countsRecordedAfterTheMinuteChangesGoToTheNewMinute() {
		// 50 ms before minute 10 ends
		AtomicLong now = new AtomicLong(11 * MINUTE - 50);
		UsageCounter<String> counter = new UsageCounter<>(100, now::get, () -> {
		});
		AtomicLong rolls = new AtomicLong();
		MinuteRoller roller = new MinuteRoller(now::get, List.of(() -> {
			counter.roll();
			rolls.incrementAndGet();
		}));
		roller.start();
		try {
			counter.record("a", 1);
			now.set(11 * MINUTE + 1);
			await().atMost(Duration.ofSeconds(5)).until(() -> rolls.get() >= 1);
			counter.record("b", 1);
			assertThat(counter.drain()).containsExactlyInAnyOrder(new UsageCount<>(10, "a", 1),
					new UsageCount<>(11, "b", 1));
		}
		finally {
			roller.stop();
		}
		assertThat(Thread.getAllStackTraces().keySet()).extracting(Thread::getName)
			.doesNotContain("recycling-analytics-minute");
	}

	@Test
	void aFailingRollDoesNotStopTheOthersOrTheNextMinute() {
		AtomicLong now = new AtomicLong(11 * MINUTE - 20);
		AtomicLong rolls = new AtomicLong();
		MinuteRoller roller = new MinuteRoller(now::get, List.of(() -> {
			throw new IllegalStateException("broken cache");
		}, rolls::incrementAndGet));
		roller.start();
		try {
			// the clock stands still, so the roller wakes every 20 ms: a roll that throws does not end it
			await().atMost(Duration.ofSeconds(5)).until(() -> rolls.get() >= 3);
		}
		finally {
			roller.stop();
		}
	}

}
