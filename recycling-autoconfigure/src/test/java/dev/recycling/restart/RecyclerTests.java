package dev.recycling.restart;

import java.time.Duration;
import java.util.List;

import dev.recycling.testapp.LoopbackLoad;
import dev.recycling.testapp.RecyclingApps;
import dev.recycling.testapp.RecyclingApps.Running;
import dev.recycling.trigger.RecycleTriggers;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link Recycler} against the real test application.
 */
class RecyclerTests {

	private static final String SEQUENTIAL = "--recycling.restart.strategy=sequential";


	@Test
	void onlyOneRecycleAtATime() {
		try (Running app = RecyclingApps.run()) {
			Recycler recycler = app.recycler();
			assertThat(recycler.recycle(Recycler.MANUAL)).isTrue();
			assertThat(recycler.recycle("second")).isFalse();
			assertThat(recycler.recycle("third")).isFalse();
			awaitGeneration(recycler, 2);
			assertThat(recycler.getRecycleCount()).isEqualTo(1);
			assertThat(recycler.getHistory()).extracting(GenerationRecord::reason).containsExactly(Recycler.MANUAL);
			assertThat(recycler.recycle("again")).isTrue();
			awaitGeneration(recycler, 3);
		}
	}

	@Test
	void actuatorAndProbeRequestsAreNotCounted() throws InterruptedException {
		try (Running app = RecyclingApps.run("--management.endpoint.health.probes.enabled=true",
				"--recycling.drain.enabled=false")) {
			assertThat(get(app, "/actuator/health", 5)).isEqualTo(5);
			assertThat(get(app, "/actuator/health/readiness", 5)).isEqualTo(5);
			assertThat(get(app, "/hello", 7)).isEqualTo(7);
			assertThat(app.recycler().getStats()).isNotNull();
			await().atMost(Duration.ofSeconds(5)).until(() -> app.recycler().getStats().requestsServed() == 7);
		}
	}

	@Test
	void recordOfARecycledGenerationSaysWhatItDid() throws InterruptedException {
		// sequential: the generation stops taking connections at its limit (an overlapped one serves on)
		try (Running app = RecyclingApps.run("--recycling.max-requests=10", "--recycling.max-requests-jitter=5",
				SEQUENTIAL)) {
			assertThat(get(app, "/hello", 15)).isEqualTo(15);
			awaitGeneration(app.recycler(), 2);
			List<GenerationRecord> history = app.recycler().getHistory();
			assertThat(history).hasSize(1);
			GenerationRecord record = history.get(0);
			assertThat(record.generation()).isEqualTo(1);
			assertThat(record.reason()).isEqualTo(RecycleTriggers.MAX_REQUESTS);
			assertThat(record.maxRequests()).isBetween(10L, 15L);
			assertThat(record.requestsServed()).isEqualTo(record.maxRequests());
			assertThat(record.restartDuration()).isPositive();
			assertThat(record.endedAt()).isAfterOrEqualTo(record.startedAt());
			assertThat(app.recycler().getState()).isEqualTo(RecyclerState.SERVING);
			assertThat(record.strategy()).isEqualTo("sequential");
			assertThat(record.handedOverAt()).isNull();
		}
	}

	@Test
	void lifetimeLimitRecyclesWithoutRequests() {
		try (Running app = RecyclingApps.run("--recycling.max-lifetime=300ms")) {
			awaitGeneration(app.recycler(), 3);
			assertThat(app.recycler().getHistory()).extracting(GenerationRecord::reason)
				.startsWith(RecycleTriggers.MAX_LIFETIME, RecycleTriggers.MAX_LIFETIME);
		}
	}

	@Test
	void portIsTheSameInEveryGeneration() throws InterruptedException {
		try (Running app = RecyclingApps.run()) {
			app.recycler().recycle(Recycler.MANUAL);
			awaitGeneration(app.recycler(), 2);
			assertThat(get(app, "/hello", 1)).isEqualTo(1);
		}
	}

	@Test
	void closingWithoutRecycleRecordsShutdownAndReleasesThePort() throws Exception {
		Running app = RecyclingApps.run();
		app.close();
		assertThat(app.recycler().getHistory()).extracting(GenerationRecord::reason).containsExactly(Recycler.SHUTDOWN);
		assertThat(app.recycler().recycle(Recycler.MANUAL)).isFalse();
		try (java.net.ServerSocket socket = new java.net.ServerSocket()) {
			socket.bind(new java.net.InetSocketAddress(app.port()));
			assertThat(socket.isBound()).isTrue();
		}
	}

	private static long get(Running app, String path, int requests) throws InterruptedException {
		return LoopbackLoad.start(app.port(), path, 1, Duration.ofSeconds(30), requests).awaitCompletion().ok();
	}

	private static void awaitGeneration(Recycler recycler, int generation) {
		await().atMost(Duration.ofSeconds(60))
			.until(() -> recycler.getGeneration() >= generation && !recycler.isRecycling());
	}

	@Test
	void overlapIsRefusedWithJmxOnOrWithoutHeapHeadroomAndTheReasonNamesTheSetting() {
		Generation.Settings overlap = new Generation.Settings(RecycleMode.CONTEXT, 0, RestartStrategy.OVERLAP, 100,
				Duration.ofSeconds(1), Duration.ofSeconds(2), false, 20);
		assertThat(OverlapCheck.whyNot(overlap)).isNull();
		Generation.Settings jmx = new Generation.Settings(RecycleMode.CONTEXT, 0, RestartStrategy.OVERLAP, 100,
				Duration.ofSeconds(1), Duration.ofSeconds(2), true, 20);
		assertThat(OverlapCheck.whyNot(jmx)).contains("spring.jmx.enabled=true");
		Generation.Settings noHeadroom = new Generation.Settings(RecycleMode.CONTEXT, 0, RestartStrategy.OVERLAP, 0.001,
				Duration.ofSeconds(1), Duration.ofSeconds(2), false, 20);
		assertThat(OverlapCheck.whyNot(noHeadroom)).contains("recycling.restart.overlap-heap-threshold (0.001%)");
	}

}
