package dev.recycling.restart;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;

import dev.recycling.testapp.LoopbackLoad;
import dev.recycling.testapp.RecyclingApps;
import dev.recycling.testapp.RecyclingApps.Running;
import dev.recycling.trigger.RecycleTriggers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link Recycler} against the real test application.
 */
@ExtendWith(OutputCaptureExtension.class)
class RecyclerTests {

	private static final String SEQUENTIAL = "--recycling.restart.strategy=sequential";

	@ParameterizedTest
	@ValueSource(strings = { "overlap", "sequential" })
	void aGenerationLogsOneLineAsItStartsAndSpringBootsStartupInfoOnlyOnce(String strategy, CapturedOutput output) {
		String log;
		try (Running app = RecyclingApps.run("--recycling.max-requests=1000", "--recycling.max-lifetime=2h",
				"--recycling.restart.strategy=" + strategy)) {
			for (int generation = 2; generation <= 4; generation++) {
				app.recycleAndAwait();
			}
			// before the shutdown, whose lines are not routine
			log = output.getOut();
		}
		// Spring Boot names the class whose main method ran: here the test runner's
		assertThat(Pattern.compile("Started \\S+ in ").matcher(log).results().count()).isOne();
		assertThat(occurrences(log, "Generation 1 is serving; recycles after ")).isOne();
		for (int generation = 2; generation <= 4; generation++) {
			assertThat(occurrences(log, "Generation " + generation + " " + (strategy.equals("overlap") ? "took over"
					: "is serving after a restart"))).as("start lines of generation %d", generation).isOne();
		}
		assertThat(log).contains(" or at the age of 2h", "(strategy " + strategy + ")")
			.doesNotContain("Recycling generation", "Shutdown hooks of generation", "Stopped taking connections");
	}

	private static int occurrences(String text, String part) {
		return text.split(Pattern.quote(part), -1).length - 1;
	}

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

	// with the actuator on a port of its own its base path may be "/": every path of the
	// application's port is still an application request, and none of the actuator's port is
	@Test
	void withTheActuatorOnItsOwnPortUnderSlashOnlyTheApplicationsRequestsAreCounted() throws Exception {
		int managementPort;
		try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			managementPort = free.getLocalPort();
		}
		try (Running app = RecyclingApps.run("--management.server.port=" + managementPort,
				"--management.endpoints.web.base-path=/", "--management.endpoint.health.probes.enabled=true",
				"--recycling.drain.enabled=false")) {
			await().atMost(Duration.ofSeconds(30))
				.ignoreExceptions()
				.until(() -> LoopbackLoad.status(managementPort, "/health/readiness") == 200);
			for (int i = 0; i < 5; i++) {
				assertThat(LoopbackLoad.status(managementPort, "/health")).isEqualTo(200);
			}
			assertThat(get(app, "/hello", 7)).isEqualTo(7);
			app.awaitRequestsServed(7);
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

	@ParameterizedTest
	@ValueSource(strings = { "overlap", "sequential" })
	void anAdmissionDecidesAutomaticRecyclesAndHearsTheirEndBeforeTheNextCanStart(String strategy) {
		try (Running app = RecyclingApps.run("--recycling.restart.strategy=" + strategy)) {
			Recycler recycler = app.recycler();
			List<String> admitted = new CopyOnWriteArrayList<>();
			List<Boolean> recyclingWhenEnded = new CopyOnWriteArrayList<>();
			AtomicBoolean allow = new AtomicBoolean();
			recycler.admitRecyclesThrough(new RecycleAdmission() {

				@Override
				public boolean admit(String reason) {
					admitted.add(reason);
					return allow.get();
				}

				@Override
				public void recycleEnded() {
					recyclingWhenEnded.add(recycler.isRecycling());
				}

			});
			assertThat(recycler.recycle(RecycleTriggers.MAX_LIFETIME)).as("refused").isFalse();
			assertThat(recycler.isRecycling()).isFalse();
			assertThat(recycler.getGeneration()).isEqualTo(1);
			allow.set(true);
			assertThat(recycler.recycle(RecycleTriggers.MAX_LIFETIME)).isTrue();
			app.awaitServing(2);
			assertThat(recyclingWhenEnded).as("still recycling when the admission heard the end").containsExactly(true);
			// an operator's recycle does not ask
			assertThat(recycler.recycle(Recycler.MANUAL)).isTrue();
			app.awaitServing(3);
			assertThat(admitted).containsExactly(RecycleTriggers.MAX_LIFETIME, RecycleTriggers.MAX_LIFETIME);
			assertThat(recyclingWhenEnded).hasSize(1);
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
