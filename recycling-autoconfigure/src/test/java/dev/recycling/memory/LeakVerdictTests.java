package dev.recycling.memory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntToLongFunction;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link LeakVerdict}: what counts as a leak and what does not.
 */
class LeakVerdictTests {

	private static final long MEGABYTE = 1024 * 1024;

	private static final int SAMPLES = 20;

	@Test
	void aHeapThatGrowsWithRequestsIsALeak() {
		List<MemorySnapshot> samples = samples((i) -> 200 * MEGABYTE + i * 4 * MEGABYTE, (i) -> 40, (i) -> 100);

		LeakVerdict verdict = LeakVerdict.judge(samples, null, null);

		assertThat(verdict.leakSuspected()).isTrue();
		assertThat(verdict.heapSamples()).isEqualTo(SAMPLES);
		assertThat(verdict.heapGrowthPerThousandRequests()).isEqualTo(40.0 * MEGABYTE);
		assertThat(verdict.heapFit()).isEqualTo(1.0);
		assertThat(verdict.evidence()).containsExactly(
				"heap after GC grew +76 MB over 1900 requests (+40 MB per 1 000 requests, fit R² 1.00 over 20 samples)");
		assertThat(verdict.summary()).startsWith("leak suspected: heap after GC grew +76 MB");
	}

	@Test
	void aHeapThatRisesAndFallsWithGarbageIsNotALeak() {
		// old-generation garbage piling up and collected every fourth sample
		List<MemorySnapshot> samples = samples((i) -> 200 * MEGABYTE + (i % 4) * 30 * MEGABYTE, (i) -> 40,
				(i) -> 100);

		LeakVerdict verdict = LeakVerdict.judge(samples, null, null);

		assertThat(verdict.leakSuspected()).isFalse();
		assertThat(verdict.evidence()).isEmpty();
		assertThat(verdict.heapFit()).isLessThan(LeakVerdict.MIN_FIT);
		assertThat(verdict.summary()).startsWith("no leak suspected (heap after GC ");
	}

	@Test
	void steadyGrowthTooSmallToMatterIsNotALeak() {
		// +1.9 MB over the generation, on a 200 MB heap
		List<MemorySnapshot> samples = samples((i) -> 200 * MEGABYTE + i * 100 * 1024, (i) -> 40, (i) -> 100);

		assertThat(LeakVerdict.judge(samples, null, null).leakSuspected()).isFalse();
	}

	@Test
	void samplesWithoutANewCollectionDoNotCountForTheHeap() {
		List<MemorySnapshot> samples = new ArrayList<>();
		for (int i = 0; i < SAMPLES; i++) {
			samples.add(snapshot(i * 100, 200 * MEGABYTE + i * 4 * MEGABYTE, 40, 100, 7));
		}

		LeakVerdict verdict = LeakVerdict.judge(samples, null, null);

		assertThat(verdict.leakSuspected()).isFalse();
		assertThat(verdict.heapSamples()).isEqualTo(1);
		assertThat(verdict.heapGrowthPerThousandRequests()).isNull();
		assertThat(verdict.summary()).isEqualTo(
				"no leak suspected; too few samples to judge the heap (1 after a new collection, 3 needed)");
	}

	@Test
	void threadsThatGrowWithRequestsAreALeak() {
		List<MemorySnapshot> samples = samples((i) -> 200 * MEGABYTE, (i) -> 40 + 5 * i, (i) -> 100);

		LeakVerdict verdict = LeakVerdict.judge(samples, null, null);

		assertThat(verdict.leakSuspected()).isTrue();
		assertThat(verdict.evidence())
			.containsExactly("threads grew 40 -> 135 over 1900 requests (fit R² 1.00 over 20 samples)");
	}

	@Test
	void aThreadPoolThatGrowsToItsSizeUnderLoadIsNotALeak() {
		List<MemorySnapshot> samples = samples((i) -> 200 * MEGABYTE, (i) -> (i == 0) ? 20 : 210, (i) -> 100);

		assertThat(LeakVerdict.judge(samples, null, null).leakSuspected()).isFalse();
	}

	@Test
	void fileDescriptorsThatGrowWithRequestsAreALeakAndUnknownOnesAreLeftOut() {
		List<MemorySnapshot> growing = samples((i) -> 200 * MEGABYTE, (i) -> 40, (i) -> 100 + 10 * i);
		List<MemorySnapshot> unknown = samples((i) -> 200 * MEGABYTE, (i) -> 40, (i) -> -1);

		assertThat(LeakVerdict.judge(growing, null, null).evidence())
			.containsExactly("file descriptors grew 100 -> 290 over 1900 requests (fit R² 1.00 over 20 samples)");
		assertThat(LeakVerdict.judge(unknown, null, null).leakSuspected()).isFalse();
	}

	@Test
	void withHistogramsTheEvidenceNamesTheClassesThatGrew() {
		List<MemorySnapshot> samples = samples((i) -> 200 * MEGABYTE + i * 4 * MEGABYTE, (i) -> 40, (i) -> 100);
		ClassHistogram before = ClassHistogram.parse("""
				   1:         10000        1000000  [B (java.base@17.0.12)
				   2:           100           1600  com.example.Cache$Entry
				""");
		ClassHistogram after = ClassHistogram.parse("""
				   1:         58000       80691200  [B (java.base@17.0.12)
				   2:         48100         769600  com.example.Cache$Entry
				""");

		LeakVerdict verdict = LeakVerdict.judge(samples, before, after);

		assertThat(verdict.topApplicationGrowthByInstances().get(0).className()).isEqualTo("com.example.Cache$Entry");
		assertThat(verdict.topGrowthByBytes().get(0).className()).isEqualTo("byte[]");
		assertThat(verdict.evidence()).last()
			.isEqualTo("top growth: byte[] +76 MB, com.example.Cache$Entry +48 000");
	}

	// one sample per 100 requests, each after a new collection
	private static List<MemorySnapshot> samples(IntToLongFunction heap, IntToLongFunction threads,
			IntToLongFunction descriptors) {
		List<MemorySnapshot> samples = new ArrayList<>();
		for (int i = 0; i < SAMPLES; i++) {
			samples.add(snapshot(i * 100, heap.applyAsLong(i), (int) threads.applyAsLong(i),
					descriptors.applyAsLong(i), i));
		}
		return samples;
	}

	private static MemorySnapshot snapshot(long requests, long heap, int threads, long descriptors,
			long collections) {
		return new MemorySnapshot(Instant.EPOCH.plusSeconds(requests), requests, heap, 1024 * MEGABYTE, -1,
				50 * MEGABYTE, 0, threads, descriptors, 15_000, collections, false);
	}

}
