package dev.recycling.demo.leak;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.recycling.demo.analytics.DemoRuns;
import dev.recycling.demo.analytics.DemoRuns.Running;
import dev.recycling.memory.AcrossGenerations;
import dev.recycling.restart.Recycler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Memory that survives recycles (the demo's static leak, which no context restart frees) is
 * found by comparing the generations' baselines, and the same generations without it raise
 * no alarm.
 * <p>
 * Each generation serves, then the test runs a full collection so that it has a sample of
 * its lean heap; a real service gets those from its own collections.
 */
@ExtendWith(OutputCaptureExtension.class)
class DemoLeakAcrossGenerationsTests {

	private static final int GENERATIONS = 10;

	private static final int STATIC_LEAK = 3 * 1024 * 1024;

	@TempDir
	Path spill;

	@AfterEach
	void releaseTheStaticLeak() {
		StaticLeak.release();
	}

	@Test
	void aStaticLeakSurvivesRecyclesAndIsNamed(CapturedOutput output) throws Exception {
		try (Running demo = demo(STATIC_LEAK)) {
			AcrossGenerations.Verdict verdict = serveAndRecycle(demo);
			assertThat(verdict.suspected()).as(verdict.summary()).isTrue();
			// the leak, plus what a generation leaves softly reachable until the heap runs short
			assertThat(verdict.heapGrowthPerGeneration()).as(verdict.summary())
				.isBetween(0.9 * STATIC_LEAK, 1.5 * STATIC_LEAK);
			assertThat(output.getOut()).containsPattern("WARN .* After generation " + GENERATIONS
					+ ": memory survives recycles: heap after GC at each generation's leanest grows \\+\\d\\.\\d MB per "
					+ "generation");
		}
	}

	@Test
	void withTheClassHistogramTheClassesThatGrewAcrossGenerationsAreNamed() throws Exception {
		try (Running demo = demo(STATIC_LEAK, "--recycling.memory.class-histogram=true")) {
			AcrossGenerations.Verdict verdict = serveAndRecycle(demo);
			assertThat(verdict.suspected()).as(verdict.summary()).isTrue();
			// the static list's 64 KB chunks: about 3 MB for each generation after the first
			assertThat(verdict.topGrowthByBytes().get(0).className()).isEqualTo("byte[]");
			assertThat(verdict.topGrowthByBytes().get(0).bytes()).isGreaterThan((GENERATIONS - 2L) * STATIC_LEAK);
			assertThat(verdict.summary()).contains("top growth since generation 1: byte[] +");
		}
	}

	@Test
	void withoutItNothingSurvivesRecycles() throws Exception {
		try (Running demo = demo(0)) {
			AcrossGenerations.Verdict verdict = serveAndRecycle(demo);
			assertThat(verdict.suspected()).as(verdict.summary()).isFalse();
			assertThat(verdict.generations()).isEqualTo(GENERATIONS);
			assertThat(verdict.heapGrowthPerGeneration()).as(verdict.summary()).isLessThan(0.25 * STATIC_LEAK);
		}
	}

	@Test
	void aNegativeStaticLeakStopsStartUpNamingTheProperty() {
		assertThatExceptionOfType(RuntimeException.class).isThrownBy(() -> demo(-1))
			.havingRootCause()
			.withMessageContaining("demo.leak.static-bytes-per-generation")
			.withMessageContaining("It must be between 0 (no leak) and");
	}

	private Running demo(int staticLeak, String... args) {
		List<String> all = new ArrayList<>(List.of("--demo.leak.static-bytes-per-generation=" + staticLeak,
				"--recycling.memory.warm-up-requests=1", "--recycling.memory.warm-up=1h",
				"--recycling.memory.check-interval=100ms"));
		all.addAll(List.of(args));
		return DemoRuns.runOnFreshDatabase(this.spill, all.toArray(String[]::new));
	}

	// each generation: a request to warm it up, a full collection it samples, then a recycle
	private static AcrossGenerations.Verdict serveAndRecycle(Running demo) throws Exception {
		Recycler recycler = demo.recycler();
		for (int generation = 1; generation <= GENERATIONS; generation++) {
			assertThat(demo.flags()).isEqualTo(200);
			await().until(() -> recycler.getMemorySampleCount() >= 1);
			int samples = recycler.getMemorySampleCount();
			System.gc();
			await().until(() -> recycler.getMemorySampleCount() > samples);
			assertThat(recycler.recycle(Recycler.MANUAL)).isTrue();
			int next = generation + 1;
			await().atMost(Duration.ofSeconds(60))
				.until(() -> recycler.getGeneration() == next && !recycler.isRecycling());
		}
		AcrossGenerations.Verdict verdict = recycler.getAcrossGenerations().verdict();
		assertThat(verdict).isNotNull();
		return verdict;
	}

}
