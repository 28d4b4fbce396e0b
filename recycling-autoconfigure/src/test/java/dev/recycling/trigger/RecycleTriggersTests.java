package dev.recycling.trigger;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link RecycleTriggers}.
 */
class RecycleTriggersTests {

	private final AtomicLong clock = new AtomicLong(1_000);

	private final List<String> requested = new CopyOnWriteArrayList<>();

	private RecycleTriggers triggers(GenerationLimits limits, Duration minLifetime) {
		return new RecycleTriggers(limits, minLifetime, this.clock::get, (reason) -> this.requested.add(reason));
	}

	@Test
	void theRequestThatReachesTheLimitRequestsTheRecycle() {
		RecycleTriggers triggers = triggers(new GenerationLimits(3, null), Duration.ZERO);
		triggers.countRequest();
		triggers.countRequest();
		assertThat(this.requested).isEmpty();
		triggers.countRequest();
		assertThat(this.requested).containsExactly(RecycleTriggers.MAX_REQUESTS);
		triggers.countRequest();
		assertThat(this.requested).hasSize(1);
		assertThat(triggers.requestsServed()).isEqualTo(4);
	}

	@Test
	void concurrentRequestsFireExactlyOnceAndAreAllCounted() throws InterruptedException {
		RecycleTriggers triggers = triggers(new GenerationLimits(50_000, null), Duration.ZERO);
		ExecutorService executor = Executors.newFixedThreadPool(8);
		CountDownLatch start = new CountDownLatch(1);
		for (int thread = 0; thread < 8; thread++) {
			executor.execute(() -> {
				awaitQuietly(start);
				for (int i = 0; i < 10_000; i++) {
					triggers.countRequest();
				}
			});
		}
		start.countDown();
		executor.shutdown();
		assertThat(executor.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
		assertThat(triggers.requestsServed()).isEqualTo(80_000);
		assertThat(this.requested).containsExactly(RecycleTriggers.MAX_REQUESTS);
	}

	@Test
	void noRequestLimitNeverFires() {
		RecycleTriggers triggers = triggers(GenerationLimits.NONE, Duration.ZERO);
		for (int i = 0; i < 10_000; i++) {
			triggers.countRequest();
		}
		triggers.check();
		assertThat(this.requested).isEmpty();
	}

	@Test
	void minLifetimeHoldsBackTheRequestLimitUntilTheGenerationIsOldEnough() {
		RecycleTriggers triggers = triggers(new GenerationLimits(1, null), Duration.ofSeconds(10));
		triggers.countRequest();
		triggers.check();
		assertThat(this.requested).isEmpty();
		this.clock.addAndGet(Duration.ofSeconds(10).toNanos());
		triggers.check();
		assertThat(this.requested).containsExactly(RecycleTriggers.MAX_REQUESTS);
	}

	@Test
	void lifetimeLimitFiresOnCheckOnceDue() {
		RecycleTriggers triggers = triggers(new GenerationLimits(0, Duration.ofMinutes(5)), Duration.ZERO);
		this.clock.addAndGet(Duration.ofMinutes(5).minusNanos(1).toNanos());
		triggers.check();
		assertThat(this.requested).isEmpty();
		this.clock.addAndGet(1);
		triggers.check();
		triggers.check();
		assertThat(this.requested).containsExactly(RecycleTriggers.MAX_LIFETIME);
	}

	@Test
	void automaticTriggerRespectsMinLifetimeButManualDoesNot() {
		RecycleTriggers triggers = triggers(GenerationLimits.NONE, Duration.ofMinutes(1));
		assertThat(triggers.fire("heap-after-gc", true)).isFalse();
		assertThat(triggers.fire("manual", false)).isTrue();
		assertThat(this.requested).containsExactly("manual");
	}

	@Test
	void refusedRequestCanFireAgainLater() {
		List<String> accepted = new CopyOnWriteArrayList<>();
		boolean[] busy = { true };
		RecycleTriggers triggers = new RecycleTriggers(new GenerationLimits(0, Duration.ofSeconds(1)), Duration.ZERO,
				this.clock::get, (reason) -> !busy[0] && accepted.add(reason));
		this.clock.addAndGet(Duration.ofSeconds(1).toNanos());
		triggers.check();
		assertThat(accepted).isEmpty();
		busy[0] = false;
		triggers.check();
		assertThat(accepted).containsExactly(RecycleTriggers.MAX_LIFETIME);
	}

	@Test
	void refusedRequestLimitIsRetriedByCheck() {
		List<String> accepted = new CopyOnWriteArrayList<>();
		boolean[] serving = { false };
		RecycleTriggers triggers = new RecycleTriggers(new GenerationLimits(1, null), Duration.ZERO, this.clock::get,
				(reason) -> serving[0] && accepted.add(reason));
		triggers.countRequest();
		assertThat(accepted).isEmpty();
		serving[0] = true;
		triggers.check();
		triggers.check();
		assertThat(accepted).containsExactly(RecycleTriggers.MAX_REQUESTS);
	}

	private static void awaitQuietly(CountDownLatch latch) {
		try {
			latch.await();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
