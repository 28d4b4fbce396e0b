package dev.recycling.demo.leak;

import java.lang.ref.WeakReference;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.recycling.demo.analytics.DemoRuns;
import dev.recycling.demo.analytics.DemoRuns.Running;
import dev.recycling.memory.LeakVerdict;
import dev.recycling.restart.GenerationRecord;
import dev.recycling.restart.Recycler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.context.event.ApplicationPreparedEvent;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The demo's deliberate leak is found and named by the generation's leak verdict, and the
 * same runs without it raise no alarm.
 * <p>
 * The test runs a full collection after each batch of requests, so that every batch gives
 * the recorder a fresh heap-after-GC sample; a real service gets those from its own
 * collections.
 */
@ExtendWith(OutputCaptureExtension.class)
class DemoLeakTests {

	private static final long MEGABYTE = 1024 * 1024;

	private static final int BATCHES = 6;

	private static final int REQUESTS_PER_BATCH = 25;

	private static final int LEAK_PER_REQUEST = 400 * 1024;

	@TempDir
	Path spill;

	@Test
	void aLeakingGenerationIsSuspectedAndTheHistogramNamesTheLeakingClassFirst(CapturedOutput output)
			throws Exception {
		try (Running demo = demo(LEAK_PER_REQUEST, "--recycling.memory.class-histogram=true")) {
			GenerationRecord record = serveAndRecycle(demo);

			LeakVerdict verdict = record.leakVerdict();
			assertThat(verdict.leakSuspected()).as(verdict.summary()).isTrue();
			assertThat(verdict.evidence().get(0)).startsWith("heap after GC grew");
			double expected = 1000.0 * LEAK_PER_REQUEST;
			assertThat(verdict.heapGrowthPerThousandRequests()).isBetween(0.8 * expected, 1.2 * expected);
			assertThat(verdict.topApplicationGrowthByInstances().get(0).className())
				.isEqualTo(LeakyCache.Entry.class.getName());
			assertThat(verdict.topApplicationGrowthByInstances().get(0).instances())
				.isGreaterThanOrEqualTo(BATCHES * REQUESTS_PER_BATCH - 1);
			assertThat(verdict.topGrowthByBytes().get(0).className()).isEqualTo("byte[]");
			assertThat(output.getOut()).containsPattern("WARN .* Generation 1 ended after 151 requests \\(manual\\): "
					+ "heap after GC \\d+ MB -> \\d+ MB \\(\\+\\d+ MB\\).*; leak suspected: heap after GC grew .*"
					+ "top growth: byte\\[\\] \\+\\d+ MB, dev\\.recycling\\.demo\\.leak\\.LeakyCache\\$Entry \\+1[45]\\d");
		}
	}

	@Test
	void withoutTheLeakNoGenerationIsSuspected() throws Exception {
		try (Running demo = demo(0)) {
			for (int generation = 1; generation <= 3; generation++) {
				GenerationRecord record = serveAndRecycle(demo);

				LeakVerdict verdict = record.leakVerdict();
				assertThat(verdict.heapSamples()).as("judged on the heap").isGreaterThanOrEqualTo(BATCHES);
				assertThat(verdict.leakSuspected()).as("generation %d: %s", generation, verdict.summary()).isFalse();
				assertThat(verdict.heapGrowthPerThousandRequests()).isLessThan(0.1 * 1000 * LEAK_PER_REQUEST);
			}
		}
	}

	@Test
	void aClosedGenerationIsGarbageEvenForCachesThatHoldItSoftly() throws Exception {
		List<WeakReference<Object>> contexts = new CopyOnWriteArrayList<>();
		try (Running demo = DemoRuns.runOnFreshDatabase(this.spill,
				(application) -> application.addListeners((event) -> {
					if (event instanceof ApplicationPreparedEvent prepared) {
						contexts.add(new WeakReference<>(prepared.getApplicationContext()));
					}
				}), "--demo.leak.bytes-per-request=" + LEAK_PER_REQUEST)) {
			for (int generation = 1; generation <= 3; generation++) {
				for (int i = 0; i < 10; i++) {
					assertThat(demo.flags()).isEqualTo(200);
				}
				assertThat(demo.recycler().recycle(Recycler.MANUAL)).isTrue();
				int next = generation + 1;
				await().atMost(Duration.ofSeconds(60))
					.until(() -> demo.recycler().getGeneration() == next && !demo.recycler().isRecycling());
			}
			// a weak reference is cleared only once nothing holds its object strongly or softly
			await().untilAsserted(() -> {
				System.gc();
				assertThat(contexts.stream().filter((reference) -> reference.get() != null))
					.as("contexts still reachable: only the current generation's")
					.hasSize(1);
			});
		}
	}

	private Running demo(int leakPerRequest, String... args) {
		List<String> all = new ArrayList<>(List.of("--demo.leak.bytes-per-request=" + leakPerRequest,
				"--recycling.memory.warm-up-requests=1", "--recycling.memory.warm-up=1h",
				"--recycling.memory.check-interval=100ms"));
		all.addAll(List.of(args));
		return DemoRuns.runOnFreshDatabase(this.spill, all.toArray(String[]::new));
	}

	// one warm-up request, batches each followed by a full GC and a sample, then a recycle
	private static GenerationRecord serveAndRecycle(Running demo) throws Exception {
		Recycler recycler = demo.recycler();
		int generation = recycler.getGeneration();
		assertThat(demo.flags()).isEqualTo(200);
		await().until(() -> recycler.getMemorySampleCount() >= 1);
		for (int batch = 1; batch <= BATCHES; batch++) {
			for (int i = 0; i < REQUESTS_PER_BATCH; i++) {
				assertThat(demo.flags()).isEqualTo(200);
			}
			int samples = recycler.getMemorySampleCount();
			System.gc();
			await().until(() -> recycler.getMemorySampleCount() > samples);
		}
		assertThat(recycler.recycle(Recycler.MANUAL)).isTrue();
		await().atMost(Duration.ofSeconds(60))
			.until(() -> recycler.getGeneration() == generation + 1 && !recycler.isRecycling());
		List<GenerationRecord> history = recycler.getHistory();
		GenerationRecord record = history.get(history.size() - 1);
		assertThat(record.generation()).isEqualTo(generation);
		return record;
	}

}
