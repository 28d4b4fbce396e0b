package dev.recycling.demo.leak;

import java.nio.file.Path;
import java.time.Duration;

import dev.recycling.demo.analytics.DemoRuns;
import dev.recycling.demo.analytics.DemoRuns.Running;
import dev.recycling.memory.MemorySnapshot;
import dev.recycling.restart.Recycler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The demo's deliberate leak shows in the generation's memory record, and the same run
 * without it does not.
 */
class DemoLeakTests {

	private static final long MEGABYTE = 1024 * 1024;

	private static final int REQUESTS = 150;

	@TempDir
	Path spill;

	@Test
	void aLeakingGenerationsHeapAfterGcGrowsByWhatItRetained() throws Exception {
		long growth = heapGrowth(200 * 1024);
		assertThat(growth).as("%d requests x 200 KB retained", REQUESTS).isGreaterThan(25 * MEGABYTE);
	}

	@Test
	void withoutTheLeakTheHeapAfterGcStaysFlat() throws Exception {
		long growth = heapGrowth(0);
		assertThat(growth).isLessThan(10 * MEGABYTE);
	}

	// heap after a full GC at the start snapshot and at the end snapshot of one generation
	private long heapGrowth(int bytesPerRequest) throws Exception {
		try (Running demo = DemoRuns.runOnFreshDatabase(this.spill, "--demo.leak.bytes-per-request=" + bytesPerRequest,
				"--recycling.memory.warm-up-requests=1", "--recycling.memory.warm-up=1h",
				"--recycling.memory.check-interval=100ms")) {
			System.gc();
			assertThat(demo.flags()).isEqualTo(200);
			await().until(() -> demo.recycler().getMemoryAtStart() != null);
			for (int i = 1; i < REQUESTS; i++) {
				assertThat(demo.flags()).isEqualTo(200);
			}
			await().until(() -> demo.recycler().getStats().requestsServed() == REQUESTS);
			System.gc();
			assertThat(demo.recycler().recycle(Recycler.MANUAL)).isTrue();
			await().atMost(Duration.ofSeconds(60))
				.until(() -> demo.recycler().getGeneration() == 2 && !demo.recycler().isRecycling());
			MemorySnapshot start = demo.recycler().getHistory().get(0).memoryAtStart();
			MemorySnapshot end = demo.recycler().getHistory().get(0).memoryAtEnd();
			assertThat(end.requests()).isEqualTo(REQUESTS);
			return end.heapAfterGcBytes() - start.heapAfterGcBytes();
		}
	}

}
