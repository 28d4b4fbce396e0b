package dev.recycling.demo.leak;

import java.lang.management.ManagementFactory;
import java.lang.ref.WeakReference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.recycling.demo.analytics.DemoRuns;
import dev.recycling.demo.analytics.DemoRuns.Running;
import dev.recycling.memory.JvmMemoryProbe;
import dev.recycling.memory.MemorySnapshot;
import dev.recycling.restart.Recycler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.context.event.ApplicationPreparedEvent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A soak: 100 recycles of the demo in one JVM, without its leak. Heap after a full
 * collection, threads, loaded classes and open file descriptors stay flat, and every old
 * generation's context is garbage. The figures go to {@code target/soak.txt} for
 * {@code docs/benchmarks.md}.
 * <p>
 * Runs in its own Surefire execution with {@code -XX:SoftRefLRUPolicyMSPerMB=0}: Spring
 * Boot caches a little of each closed generation behind soft references (the
 * {@code DataSource} pool metadata cache, about 0.2 MB a generation in the demo), which
 * the JVM keeps until the heap runs short. Clearing soft references at every collection
 * measures what a leak is: what stays strongly reachable.
 */
class DemoSoakTests {

	private static final int RECYCLES = 100;

	private static final int WARM_UP = 5;

	private static final long MEGABYTE = 1024 * 1024;

	@TempDir
	Path spill;

	@Test
	void aHundredRecyclesLeaveHeapThreadsClassesAndFileDescriptorsFlat() throws Exception {
		List<WeakReference<Object>> contexts = new CopyOnWriteArrayList<>();
		JvmMemoryProbe probe = new JvmMemoryProbe();
		long started = System.nanoTime();
		try (Running demo = DemoRuns.runOnFreshDatabase(this.spill,
				(application) -> application.addListeners((event) -> {
					if (event instanceof ApplicationPreparedEvent prepared) {
						contexts.add(new WeakReference<>(prepared.getApplicationContext()));
					}
				}), "--recycling.history-size=" + (RECYCLES + WARM_UP))) {
			for (int i = 0; i < WARM_UP; i++) {
				recycleOnce(demo);
			}
			MemorySnapshot before = afterFullCollection(probe);
			MemorySnapshot halfway = null;
			for (int i = 1; i <= RECYCLES; i++) {
				recycleOnce(demo);
				if (i == RECYCLES / 2) {
					halfway = afterFullCollection(probe);
				}
			}
			MemorySnapshot after = afterFullCollection(probe);
			Duration took = Duration.ofNanos(System.nanoTime() - started);
			assertThat(demo.recycler().getGeneration()).isEqualTo(1 + WARM_UP + RECYCLES);
			assertThat(demo.recycler().getHistory()).hasSize(WARM_UP + RECYCLES)
				.allSatisfy((record) -> {
					assertThat(record.restartDuration()).isNotNull();
					// the default strategy: two generations share the JVM and its logging backend
					assertThat(record.strategy()).isEqualTo("overlap");
				});
			report(before, halfway, after, took);

			assertThat(contexts.stream().filter((reference) -> reference.get() != null))
				.as("contexts still reachable: only the current generation's").hasSize(1);
			assertThat(after.heapAfterGcBytes() - before.heapAfterGcBytes()).as("heap after GC growth")
				.isLessThan(8 * MEGABYTE);
			assertThat(after.liveThreads() - before.liveThreads()).as("thread growth").isLessThanOrEqualTo(2);
			// classes loaded for the first time come early and once; a leak grows with every recycle
			assertThat(after.loadedClasses() - halfway.loadedClasses()).as("classes loaded by the last %d recycles",
					RECYCLES / 2)
				.isLessThan(RECYCLES / 2);
			if (before.openFileDescriptors() >= 0) {
				assertThat(after.openFileDescriptors() - before.openFileDescriptors()).as("file descriptor growth")
					.isLessThanOrEqualTo(2);
			}
		}
	}

	private static void recycleOnce(Running demo) throws Exception {
		Recycler recycler = demo.recycler();
		int generation = recycler.getGeneration();
		for (int i = 0; i < 3; i++) {
			assertThat(demo.flags()).isEqualTo(200);
		}
		assertThat(recycler.recycle(Recycler.MANUAL)).isTrue();
		await().atMost(Duration.ofSeconds(60))
			.until(() -> recycler.getGeneration() == generation + 1 && !recycler.isRecycling());
	}

	// full collections until the heap after GC settles
	private static MemorySnapshot afterFullCollection(JvmMemoryProbe probe) {
		for (int i = 0; i < 3; i++) {
			System.gc();
		}
		return probe.snapshot(0);
	}

	private static void report(MemorySnapshot before, MemorySnapshot halfway, MemorySnapshot after, Duration took)
			throws Exception {
		String report = String.format(Locale.ROOT, """
				soak: %d recycles of the demo in one JVM in %d s (JDK %s, %d cores)
				figure                 after %d warm-up recycles  after %d more  after %d more
				heap after full GC     %9.1f MB  %9.1f MB  %9.1f MB
				live threads           %9d  %9d  %9d
				loaded classes         %9d  %9d  %9d
				open file descriptors  %9d  %9d  %9d
				""", RECYCLES, took.toSeconds(), System.getProperty("java.version"),
				Runtime.getRuntime().availableProcessors(), WARM_UP, RECYCLES / 2, RECYCLES / 2,
				before.heapAfterGcBytes() / (double) MEGABYTE, halfway.heapAfterGcBytes() / (double) MEGABYTE,
				after.heapAfterGcBytes() / (double) MEGABYTE, before.liveThreads(), halfway.liveThreads(),
				after.liveThreads(), before.loadedClasses(), halfway.loadedClasses(), after.loadedClasses(),
				before.openFileDescriptors(), halfway.openFileDescriptors(), after.openFileDescriptors());
		System.out.print(report);
		Files.writeString(Path.of("target", "soak.txt"), report);
	}

}
