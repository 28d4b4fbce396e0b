package dev.recycling.memory;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

import dev.recycling.memory.AcrossGenerations.Baseline;
import dev.recycling.memory.AcrossGenerations.Verdict;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class AcrossGenerationsTests {

	private static final long MEGABYTE = 1024 * 1024;

	@Test
	void heapThatRisesFromGenerationToGenerationSurvivesRecycles() {
		// PetClinic's shape: 42 MB rising about 1.5 MB a generation, with some noise
		Verdict verdict = AcrossGenerations.judge(generations(14,
				(generation) -> baseline(generation, 42 * MEGABYTE + generation * 3 * MEGABYTE / 2
						+ ((generation % 3) - 1) * MEGABYTE / 2, 40, 12_000)));
		assertThat(verdict.suspected()).as(verdict.summary()).isTrue();
		assertThat(verdict.heapGrowthPerGeneration()).isBetween(1.3 * MEGABYTE, 1.7 * MEGABYTE);
		assertThat(verdict.summary()).startsWith("memory survives recycles: heap after GC at each generation's "
				+ "leanest grows +1.5 MB per generation")
			.contains("recycling.mode: exit");
	}

	@Test
	void aFlatBaselineWithNoiseIsQuiet() {
		Verdict verdict = AcrossGenerations.judge(generations(20,
				(generation) -> baseline(generation, 25 * MEGABYTE + ((generation * 7919) % 5) * MEGABYTE / 4, 31,
						12_700)));
		assertThat(verdict.suspected()).as(verdict.summary()).isFalse();
		assertThat(verdict.summary()).startsWith("nothing survives recycles")
			.endsWith("not judged: metaspace +0.0 MB, RSS +0.0 MB per generation)");
	}

	@Test
	void aSmallSteadyRiseIsBelowTheThreshold() {
		// the demo's soak: about +0.1 MB over 50 generations
		Verdict verdict = AcrossGenerations.judge(
				generations(20, (generation) -> baseline(generation, 25 * MEGABYTE + generation * 2048, 31, 12_700)));
		assertThat(verdict.suspected()).as(verdict.summary()).isFalse();
	}

	@Test
	void classesLoadedOnceAFewAGenerationAreNotALeakButManyAreOne() {
		// Java 17 generates about 9 reflection accessors a recycle before it levels off
		Verdict accessors = AcrossGenerations.judge(
				generations(20, (generation) -> baseline(generation, 25 * MEGABYTE, 31, 12_300 + 9 * generation)));
		assertThat(accessors.suspected()).as(accessors.summary()).isFalse();
		// a class loader kept by every generation
		Verdict loaders = AcrossGenerations.judge(
				generations(10, (generation) -> baseline(generation, 25 * MEGABYTE, 31, 12_300 + 150 * generation)));
		assertThat(loaders.suspected()).as(loaders.summary()).isTrue();
		assertThat(loaders.evidence()).singleElement().asString().startsWith("loaded classes grow 12450 -> 13800");
	}

	@Test
	void threadsLeftBehindByEveryGenerationSurviveRecycles() {
		Verdict verdict = AcrossGenerations.judge(
				generations(8, (generation) -> baseline(generation, 25 * MEGABYTE, 30 + generation, 12_700)));
		assertThat(verdict.suspected()).isTrue();
		assertThat(verdict.evidence()).singleElement().asString().startsWith("live threads grow 31 -> 38");
	}

	@Test
	void tooFewGenerationsAreNotJudged() {
		Verdict verdict = AcrossGenerations.judge(
				generations(4, (generation) -> baseline(generation, generation * 100 * MEGABYTE, 30, 12_700)));
		assertThat(verdict.suspected()).isFalse();
		assertThat(verdict.heapGrowthPerGeneration()).isNull();
		assertThat(verdict.summary()).contains("4 of 5 generations");
	}

	@Test
	void onlyTheLastGenerationsCount() {
		AcrossGenerations across = new AcrossGenerations();
		// an early rise (a cache filling up over the first generations), then flat for long
		for (int generation = 1; generation <= 30; generation++) {
			long heap = 25 * MEGABYTE + Math.min(generation, 8) * 4 * MEGABYTE;
			across.add(generation, snapshot(heap, 31, 12_700));
		}
		assertThat(across.baselines()).hasSize(AcrossGenerations.WINDOW)
			.first()
			.extracting(Baseline::generation)
			.isEqualTo(11);
		assertThat(across.verdict().suspected()).as(across.verdict().summary()).isFalse();
	}

	private static List<Baseline> generations(int count, IntFunction<Baseline> baseline) {
		List<Baseline> baselines = new ArrayList<>();
		for (int generation = 1; generation <= count; generation++) {
			baselines.add(baseline.apply(generation));
		}
		return baselines;
	}

	private static Baseline baseline(int generation, long heap, int threads, int classes) {
		return new Baseline(generation, heap, threads, 150, classes, 60 * MEGABYTE, 300 * MEGABYTE);
	}

	private static MemorySnapshot snapshot(long heap, int threads, int classes) {
		return new MemorySnapshot(java.time.Instant.now(), 0, heap, 512 * MEGABYTE, -1, 60 * MEGABYTE, 0, threads,
				150, classes, 1, true);
	}

}
