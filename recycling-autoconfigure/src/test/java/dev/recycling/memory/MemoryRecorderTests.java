package dev.recycling.memory;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import dev.recycling.restart.GenerationRecord;
import dev.recycling.testapp.Http;
import dev.recycling.testapp.RecyclingApps;
import dev.recycling.testapp.RecyclingApps.Running;
import dev.recycling.trigger.GenerationLimits;
import dev.recycling.trigger.GenerationStats;
import org.jspecify.annotations.Nullable;
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

	private static final long MEGABYTE = 1024 * 1024;

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

	private final AtomicLong collections = new AtomicLong();

	private final AtomicLong heap = new AtomicLong(100 * MEGABYTE);

	private MemoryRecorder recorder(long warmUpRequests, Duration warmUp) {
		return recorder(warmUpRequests, warmUp, null);
	}

	private MemoryRecorder recorder(long warmUpRequests, Duration warmUp,
			@Nullable Supplier<ClassHistogram> histograms) {
		return new MemoryRecorder((served) -> new MemorySnapshot(Instant.now(), served, this.heap.get(),
				1024 * MEGABYTE, 3, 4, 5, 6, 7, 8, this.collections.get(), false), histograms, this.stats, warmUpRequests,
				warmUp, this.clock::get);
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
		assertThat(recorder.verdict()).as("not judged: never warm").isNull();
		assertThat(recorder.noVerdictReason()).startsWith("no leak verdict: the generation ended before it was warm (3 "
				+ "of recycling.memory.warm-up-requests=10 requests").contains("recycling.memory.warm-up=1h");
	}

	@Test
	void theWarmUpCheckTakesOnlyTheStartSnapshot() {
		MemoryRecorder recorder = recorder(10, Duration.ofHours(1));
		this.requests.set(9);
		recorder.checkWarmUp();
		assertThat(recorder.atStart()).isNull();
		this.requests.set(10);
		recorder.checkWarmUp();
		assertThat(recorder.atStart()).isNotNull();
		this.requests.set(11);
		recorder.checkWarmUp();
		assertThat(recorder.sampleCount()).as("samples are the slow check's").isEqualTo(1);
		recorder.end();
		assertThat(recorder.verdict()).isNotNull();
		assertThat(recorder.noVerdictReason()).isNull();
	}

	@Test
	void aGenerationShorterThanTheCheckIntervalIsStillJudged(CapturedOutput output) {
		// the default 5 s memory check never runs in a generation of a second or two
		try (Running app = RecyclingApps.run("--recycling.memory.warm-up-requests=3",
				"--management.endpoints.web.exposure.include=recycling")) {
			for (int i = 0; i < 5; i++) {
				assertThat(Http.get(app.port(), "/hello").status()).isEqualTo(200);
			}
			await().atMost(Duration.ofSeconds(10))
				.until(() -> app.recycler().getContext().getBean(MemoryRecorder.class).atStart() != null);
			app.recycleAndAwait();
			GenerationRecord record = app.recycler().getHistory().get(0);
			assertThat(record.memoryAtStart()).isNotNull();
			assertThat(record.leakVerdict()).isNotNull();
			assertThat(record.noVerdictReason()).isNull();
		}
	}

	@Test
	void aGenerationThatEndsBeforeItIsWarmSaysWhyInItsRecordAndLog(CapturedOutput output) {
		try (Running app = RecyclingApps.run("--recycling.memory.warm-up-requests=1000",
				"--management.endpoints.web.exposure.include=recycling")) {
			assertThat(Http.get(app.port(), "/hello").status()).isEqualTo(200);
			app.recycleAndAwait();
			assertThat(app.recycler().getHistory().get(0).noVerdictReason())
				.contains("recycling.memory.warm-up-requests=1000");
			assertThat(output.getOut()).contains("Generation 1 ended after 1 requests (manual)")
				.contains("no leak verdict: the generation ended before it was warm");
			JsonNode json = JsonMapper.builder()
				.build()
				.readTree(Http.get(app.port(), "/actuator/recycling").body())
				.get("history")
				.get(0);
			assertThat(json.get("noVerdictReason").asString()).contains("warm-up-requests=1000");
		}
	}

	@Test
	void aSampleIsTakenWhenRequestsWereServedOrTheHeapWasCollectedSinceTheLastOne() {
		MemoryRecorder recorder = recorder(0, Duration.ZERO);
		recorder.check();
		assertThat(recorder.sampleCount()).as("the warm-up snapshot").isEqualTo(1);
		recorder.check();
		assertThat(recorder.sampleCount()).as("nothing happened").isEqualTo(1);
		this.requests.set(5);
		recorder.check();
		this.collections.set(1);
		recorder.check();
		assertThat(recorder.sampleCount()).isEqualTo(3);
	}

	private volatile byte[] garbage;

	@Test
	void aCollectionGivesASampleWithTheHeapItLeftAndSnapshotsUseItFromThenOn() {
		MemoryRecorder recorder = recorder(0, Duration.ZERO);
		recorder.collected(40 * MEGABYTE, false);
		recorder.check();
		assertThat(recorder.atStart().heapAfterGcBytes()).as("reported before the warm-up")
			.isEqualTo(40 * MEGABYTE);
		this.requests.set(7);
		recorder.collected(45 * MEGABYTE, false);
		assertThat(recorder.sampleCount()).isEqualTo(2);
		this.requests.set(9);
		assertThat(recorder.end().heapAfterGcBytes()).isEqualTo(45 * MEGABYTE);
	}

	@Test
	void aSnapshotRightAfterAHistogramReadsTheHeapThatItsFullCollectionLeft() {
		MemoryRecorder recorder = recorder(0, Duration.ZERO, () -> ClassHistogram.parse(""));
		recorder.collected(40 * MEGABYTE, false);
		this.heap.set(30 * MEGABYTE);
		recorder.check();
		assertThat(recorder.atStart().heapAfterGcBytes()).isEqualTo(30 * MEGABYTE);
		recorder.collected(45 * MEGABYTE, false);
		this.heap.set(35 * MEGABYTE);
		assertThat(recorder.end().heapAfterGcBytes()).isEqualTo(35 * MEGABYTE);
	}

	@Test
	void theListenerReportsEachCollectionOfThisJvmUntilClosed() {
		List<Long> reported = new CopyOnWriteArrayList<>();
		List<Boolean> wholeHeap = new CopyOnWriteArrayList<>();
		try (CollectionListener listener = CollectionListener.register((heap, whole) -> {
			reported.add(heap);
			wholeHeap.add(whole);
		})) {
			System.gc();
			await().until(() -> !reported.isEmpty());
			assertThat(reported.get(0)).isPositive().isLessThanOrEqualTo(Runtime.getRuntime().totalMemory());
			assertThat(wholeHeap.get(0)).as("System.gc() collects the whole heap").isTrue();
			// young collections only: allocate short-lived garbage until one is reported
			wholeHeap.clear();
			await().until(() -> {
				for (int i = 0; i < 1000; i++) {
					this.garbage = new byte[64 * 1024];
				}
				return wholeHeap.contains(false);
			});
		}
		reported.clear();
		System.gc();
		// the notification of that collection would have come by the time of the next one
		System.gc();
		assertThat(reported).isEmpty();
	}

	@Test
	void theBaselineIsTheLeanestSampleAfterACollectionOfTheWholeHeap() {
		MemoryRecorder recorder = recorder(0, Duration.ZERO);
		recorder.collected(60 * MEGABYTE, true);
		recorder.check();
		this.requests.set(3);
		// after a young collection: less, but the old generation's garbage is still there
		recorder.collected(30 * MEGABYTE, false);
		this.requests.set(5);
		recorder.collected(50 * MEGABYTE, true);
		this.requests.set(7);
		recorder.collected(20 * MEGABYTE, false);
		assertThat(recorder.leanest().heapAfterGcBytes()).isEqualTo(50 * MEGABYTE);
	}

	@Test
	void withoutACollectionOfTheWholeHeapAGenerationHasNoBaseline() {
		MemoryRecorder recorder = recorder(0, Duration.ZERO);
		recorder.collected(60 * MEGABYTE, false);
		recorder.check();
		this.requests.set(3);
		recorder.collected(30 * MEGABYTE, false);
		assertThat(recorder.leanest()).isNull();
	}

	@Test
	void aLongGenerationKeepsABoundedNumberOfSamplesSpreadOverItsLife() {
		MemoryRecorder recorder = recorder(0, Duration.ZERO);
		for (int i = 0; i < 10 * MemoryRecorder.MAX_SAMPLES; i++) {
			this.requests.incrementAndGet();
			recorder.check();
			assertThat(recorder.sampleCount()).isLessThan(MemoryRecorder.MAX_SAMPLES);
		}
		assertThat(recorder.sampleCount()).isGreaterThan(MemoryRecorder.MAX_SAMPLES / 4);
	}

	@Test
	void theEndJudgesTheGenerationFromItsSamples() {
		MemoryRecorder recorder = recorder(0, Duration.ZERO);
		recorder.check();
		for (int i = 1; i <= 10; i++) {
			this.requests.addAndGet(100);
			this.collections.incrementAndGet();
			this.heap.addAndGet(5 * MEGABYTE);
			recorder.check();
		}
		recorder.end();
		LeakVerdict verdict = recorder.verdict();
		assertThat(verdict.leakSuspected()).isTrue();
		assertThat(verdict.heapSamples()).isEqualTo(11);
		assertThat(verdict.evidence()).singleElement()
			.asString()
			.startsWith("heap after GC grew +50 MB over 1000 requests (+50 MB per 1 000 requests, fit R² 1.00");
	}

	@Test
	void aJvmWithoutClassHistogramsStillRecordsAndJudges(CapturedOutput output) {
		MemoryRecorder recorder = recorder(0, Duration.ZERO, () -> {
			throw new IllegalStateException("no diagnostic command here");
		});
		recorder.check();
		this.requests.set(10);
		recorder.end();
		assertThat(recorder.atStart()).isNotNull();
		assertThat(recorder.verdict().topGrowthByBytes()).isEmpty();
		assertThat(output.getOut()).contains("Class histograms are off for this generation: no diagnostic command here");
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
