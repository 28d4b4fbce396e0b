package dev.recycling.memory;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

import dev.recycling.restart.GenerationRecord;
import dev.recycling.testapp.Http;
import dev.recycling.testapp.RecyclingApps;
import dev.recycling.testapp.RecyclingApps.Running;
import dev.recycling.trigger.GenerationLimits;
import dev.recycling.trigger.GenerationStats;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link MemoryRecorder}, alone and in a real application that recycles.
 */
@ExtendWith(OutputCaptureExtension.class)
class MemoryRecorderTests {

	private final AtomicLong clock = new AtomicLong();

	private final AtomicLong requests = new AtomicLong();

	private final GenerationStats stats = new GenerationStats() {

		@Override
		public long requestsServed() {
			return MemoryRecorderTests.this.requests.get();
		}

		@Override
		public GenerationLimits limits() {
			return GenerationLimits.NONE;
		}

	};

	private MemoryRecorder recorder(long warmUpRequests, Duration warmUp) {
		return new MemoryRecorder((served) -> new MemorySnapshot(Instant.now(), served, 1, 2, 3, 4, 5, 6, 7, 8),
				this.stats, warmUpRequests, warmUp, this.clock::get);
	}

	@Test
	void theStartSnapshotIsTakenOnceWarmByRequests() {
		MemoryRecorder recorder = recorder(10, Duration.ofHours(1));
		this.requests.set(9);
		recorder.check();
		assertThat(recorder.atStart()).isNull();
		this.requests.set(12);
		recorder.check();
		assertThat(recorder.atStart().requests()).isEqualTo(12);
		this.requests.set(50);
		recorder.check();
		assertThat(recorder.atStart().requests()).as("taken once").isEqualTo(12);
	}

	@Test
	void theStartSnapshotIsTakenOnceWarmByAge() {
		MemoryRecorder recorder = recorder(1_000, Duration.ofSeconds(30));
		recorder.check();
		assertThat(recorder.atStart()).isNull();
		this.clock.set(Duration.ofSeconds(30).toNanos());
		recorder.check();
		assertThat(recorder.atStart()).isNotNull();
	}

	@Test
	void aGenerationThatEndsColdHasOnlyAnEndSnapshot() {
		MemoryRecorder recorder = recorder(10, Duration.ofHours(1));
		this.requests.set(3);
		MemorySnapshot end = recorder.end();
		this.requests.set(20);
		recorder.check();
		assertThat(recorder.atStart()).isNull();
		assertThat(recorder.end()).isSameAs(end);
		assertThat(end.requests()).isEqualTo(3);
	}

	@Test
	void eachRecordCarriesTheMemoryOfItsGenerationAndTheRecycleSaysWhatChanged(CapturedOutput output) {
		try (Running app = RecyclingApps.run("--recycling.memory.warm-up-requests=3",
				"--recycling.memory.check-interval=100ms",
				"--management.endpoints.web.exposure.include=recycling")) {
			for (int i = 0; i < 5; i++) {
				assertThat(Http.get(app.port(), "/hello").status()).isEqualTo(200);
			}
			await().until(() -> app.recycler().getContext().getBean(MemoryRecorder.class).atStart() != null);
			app.recycleAndAwait();

			GenerationRecord record = app.recycler().getHistory().get(0);
			MemorySnapshot start = record.memoryAtStart();
			MemorySnapshot end = record.memoryAtEnd();
			assertThat(start.requests()).isBetween(3L, 5L);
			assertThat(end.requests()).isEqualTo(5);
			assertThat(end.at()).isAfterOrEqualTo(start.at());
			assertThat(end.liveThreads()).isPositive();
			assertThat(end.loadedClasses()).isPositive();
			assertThat(end.heapMaxBytes()).isEqualTo(Runtime.getRuntime().maxMemory());
			assertThat(end.metaspaceBytes()).isPositive();
			if (end.rssBytes() >= 0) {
				assertThat(end.openFileDescriptors()).isPositive();
			}
			assertThat(output.getOut()).contains("Generation 1 ended after 5 requests (manual): heap after GC");

			JsonNode json = JsonMapper.builder()
				.build()
				.readTree(Http.get(app.port(), "/actuator/recycling").body())
				.get("history")
				.get(0);
			assertThat(json.get("memoryAtEnd").get("requests").asLong()).isEqualTo(5);
			assertThat(json.get("memoryAtEnd").get("liveThreads").asInt()).isEqualTo(end.liveThreads());
			assertThat(json.get("memoryAtStart").get("loadedClasses").asInt()).isPositive();
		}
	}

}
