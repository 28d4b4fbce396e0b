package dev.recycling.drain;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.support.GenericApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link DrainCoordinator}: the wait for accepted connections stays within the
 * drain timeout, and its idle rule is the configured one.
 */
class DrainCoordinatorTests {

	private final RequestActivity activity = new RequestActivity(System::nanoTime);

	private final GenericApplicationContext context = new GenericApplicationContext();

	@Test
	void aConnectionThatIsNeverServedDoesNotHoldTheCloseBeyondTheTimeout() {
		// a request in flight on a connection that never finishes: not idle
		this.activity.applicationRequestStarted();
		Duration waited = close(Duration.ofMillis(200), Duration.ofMillis(100));
		assertThat(waited).as("no minimum wait of its own past recycling.drain.timeout")
			.isLessThan(Duration.ofMillis(900));
	}

	@Test
	void aSilentConnectionIsIdleAfterTheIdleTimeout() {
		Duration waited = close(Duration.ofSeconds(30), Duration.ofMillis(300));
		assertThat(waited).isGreaterThanOrEqualTo(Duration.ofMillis(300)).isLessThan(Duration.ofSeconds(10));
	}

	private Duration close(Duration timeout, Duration idleTimeout) {
		AtomicReference<Duration> drained = new AtomicReference<>();
		DrainCoordinator coordinator = new DrainCoordinator(this.context, null, List.of(new OneOpenConnection()),
				this.activity, timeout, idleTimeout, drained::set);
		this.context.refresh();
		coordinator.onApplicationEvent(new ContextClosedEvent(this.context));
		return drained.get();
	}

	private static final class OneOpenConnection implements ConnectionQuiescer {

		@Override
		public void stopAccepting() {
		}

		@Override
		public long openConnections() {
			return 1;
		}

	}

}
