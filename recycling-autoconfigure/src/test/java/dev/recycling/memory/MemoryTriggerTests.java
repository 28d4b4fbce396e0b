package dev.recycling.memory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import dev.recycling.restart.GenerationRecord;
import dev.recycling.testapp.RecyclingApps;
import dev.recycling.testapp.RecyclingApps.Running;
import dev.recycling.trigger.GenerationLimits;
import dev.recycling.trigger.RecycleTriggers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link MemoryTrigger} and {@link JvmMemoryProbe}.
 */
class MemoryTriggerTests {

	private final AtomicLong clock = new AtomicLong();

	private final List<String> requested = new CopyOnWriteArrayList<>();

	private double heap = 40;

	private long rss = 300L * 1024 * 1024;

	private final MemoryProbe probe = new MemoryProbe() {

		@Override
		public double heapAfterGcPercent() {
			return MemoryTriggerTests.this.heap;
		}

		@Override
		public long residentSetBytes() {
			return MemoryTriggerTests.this.rss;
		}

	};

	private RecycleTriggers triggers(Duration minLifetime) {
		return new RecycleTriggers(GenerationLimits.NONE, minLifetime, this.clock::get, this.requested::add);
	}

	@Test
	void heapAfterGcAtOrAboveTheThresholdRecyclesOnce() {
		MemoryTrigger trigger = new MemoryTrigger(this.probe, 85.0, null, triggers(Duration.ZERO));
		assertThat(trigger.check()).isNull();
		this.heap = 85;
		assertThat(trigger.check()).isEqualTo(MemoryTrigger.HEAP_AFTER_GC);
		this.heap = 95;
		assertThat(trigger.check()).as("one recycle per generation").isNull();
		assertThat(this.requested).containsExactly(MemoryTrigger.HEAP_AFTER_GC);
	}

	@Test
	void rssAtOrAboveTheThresholdRecycles() {
		MemoryTrigger trigger = new MemoryTrigger(this.probe, null, DataSize.ofMegabytes(512), triggers(Duration.ZERO));
		assertThat(trigger.check()).isNull();
		this.rss = DataSize.ofMegabytes(512).toBytes();
		assertThat(trigger.check()).isEqualTo(MemoryTrigger.RSS);
		assertThat(this.requested).containsExactly(MemoryTrigger.RSS);
	}

	@Test
	void minLifetimeHoldsTheMemoryTriggersBack() {
		MemoryTrigger trigger = new MemoryTrigger(this.probe, 50.0, DataSize.ofMegabytes(1),
				triggers(Duration.ofMinutes(1)));
		this.heap = 99;
		assertThat(trigger.check()).isNull();
		this.clock.set(Duration.ofMinutes(1).toNanos());
		assertThat(trigger.check()).isEqualTo(MemoryTrigger.HEAP_AFTER_GC);
	}

	@Test
	void heapAfterGcFromBeforeTheGenerationStartedDoesNotCount() {
		// two pools, young and old; the old one still holds the previous generation's garbage
		long max = 1000;
		long[] pools = { 10, 900 };
		MemoryProbe probe = new MemoryProbe() {

			@Override
			public double heapAfterGcPercent() {
				return 100.0 * (pools[0] + pools[1]) / max;
			}

			@Override
			public long[] heapAfterGcByPool() {
				return pools.clone();
			}

			@Override
			public long maxHeapBytes() {
				return max;
			}

			@Override
			public long residentSetBytes() {
				return -1;
			}

		};
		MemoryTrigger trigger = new MemoryTrigger(probe, 50.0, null, triggers(Duration.ZERO));
		assertThat(trigger.check()).as("91% read before this generation started").isNull();
		pools[0] = 20;
		assertThat(trigger.check()).as("only the young pool was collected since: 2%").isNull();
		pools[1] = 880;
		assertThat(trigger.check()).as("the old pool collected in this generation: 90%")
			.isEqualTo(MemoryTrigger.HEAP_AFTER_GC);
	}

	@Test
	void unknownFiguresNeverTrigger() {
		this.heap = Double.NaN;
		this.rss = -1;
		MemoryTrigger trigger = new MemoryTrigger(this.probe, 1.0, DataSize.ofBytes(1), triggers(Duration.ZERO));
		assertThat(trigger.check()).isNull();
		assertThat(this.requested).isEmpty();
	}

	@Test
	void aRealApplicationRecyclesWhenHeapAfterGcPassesTheThreshold() {
		// a threshold any collection passes; min-lifetime keeps the next generation from following at once
		try (Running app = RecyclingApps.run("--recycling.memory.heap-after-gc-threshold=0.001",
				"--recycling.memory.check-interval=100ms", "--recycling.min-lifetime=1s")) {
			System.gc();
			app.awaitServing(2);
			assertThat(app.recycler().getHistory()).extracting(GenerationRecord::reason)
				.containsExactly(MemoryTrigger.HEAP_AFTER_GC);
		}
	}

	@Test
	void theProbeReadsThisJvm() {
		JvmMemoryProbe probe = new JvmMemoryProbe();
		System.gc();
		assertThat(probe.heapAfterGcPercent()).isBetween(0.0, 100.0);
		if (Files.isReadable(Path.of("/proc/self/status"))) {
			assertThat(probe.residentSetBytes()).isGreaterThan(DataSize.ofMegabytes(10).toBytes());
		}
	}

	@Test
	void theProbeReadsVmRssAndSaysWhenItCannot(@TempDir Path directory) throws IOException {
		Path status = directory.resolve("status");
		Files.writeString(status, "Name:\tjava\nVmPeak:\t 9000 kB\nVmRSS:\t  123456 kB\nThreads:\t42\n");
		assertThat(new JvmMemoryProbe(status).residentSetBytes()).isEqualTo(123456L * 1024);
		assertThat(new JvmMemoryProbe(directory.resolve("missing")).residentSetBytes()).isEqualTo(-1);
		assertThat(new JvmMemoryProbe(directory.resolve("missing")).residentSetKnown()).isFalse();
	}

}
