package dev.recycling.metrics;

import java.util.concurrent.TimeUnit;

import dev.recycling.memory.MemorySnapshot;
import dev.recycling.restart.Recycler;
import dev.recycling.testapp.Http;
import dev.recycling.testapp.RecyclingApps;
import dev.recycling.testapp.RecyclingApps.Running;
import dev.recycling.trigger.RecycleTriggers;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link RecyclingMetrics} in a real application that recycles.
 */
class RecyclingMetricsTests {

	@Test
	void countersGoOnAcrossRecyclesWithOneSeriesEach() {
		try (Running app = RecyclingApps.run()) {
			get(app, 5);
			app.awaitRequestsServed(5);
			app.recycleAndAwait();
			get(app, 3);
			app.awaitRequestsServed(3);
			app.recycleAndAwait();
			get(app, 2);
			app.awaitRequestsServed(2);

			MeterRegistry registry = app.recycler().getContext().getBean(MeterRegistry.class);
			assertThat(registry.get("recycling.requests").functionCounter().count()).isEqualTo(10);
			assertThat(registry.get("recycling.restarts").tag("reason", Recycler.MANUAL).functionCounter().count())
				.isEqualTo(2);
			assertThat(registry.get("recycling.restarts")
				.tag("reason", RecycleTriggers.MAX_REQUESTS)
				.functionCounter()
				.count()).isZero();
			FunctionTimer restarts = registry.get("recycling.restart.duration").functionTimer();
			assertThat(restarts.count()).isEqualTo(2);
			assertThat(restarts.totalTime(TimeUnit.MILLISECONDS)).isPositive();
			assertThat(registry.get("recycling.drain.duration").functionTimer().count()).isEqualTo(2);
			assertThat(registry.get("recycling.generation").gauge().value()).isEqualTo(3);
			assertThat(registry.get("recycling.generation.requests").gauge().value()).isEqualTo(2);
			// the default strategy: both recycles overlapped, each until the previous generation closed
			FunctionTimer overlaps = registry.get("recycling.overlap.duration").functionTimer();
			assertThat(overlaps.count()).isEqualTo(2);
			assertThat(overlaps.totalTime(TimeUnit.NANOSECONDS)).isGreaterThanOrEqualTo(restarts.totalTime(TimeUnit.NANOSECONDS));

			assertThat(registry.find("recycling.requests").meters()).hasSize(1);
			assertThat(registry.find("recycling.generation").meters()).hasSize(1);
			assertThat(registry.find("recycling.restarts").meters()).as("one series per reason")
				.hasSize(RecyclingMetrics.KNOWN_REASONS.size());
			assertThat(registry.getMeters()).flatExtracting((meter) -> meter.getId().getTags())
				.noneMatch((tag) -> tag.getKey().equals("generation"));
		}
	}

	@Test
	void memoryGaugesShowTheCurrentGenerationsStartAndTheLastOnesEnd() {
		try (Running app = RecyclingApps.run("--recycling.memory.warm-up-requests=0",
				"--recycling.memory.check-interval=100ms")) {
			MeterRegistry first = app.recycler().getContext().getBean(MeterRegistry.class);
			assertThat(first.get("recycling.memory.heap.after.gc").tag("snapshot", "end").gauge().value()).isNaN();
			app.recycleAndAwait();
			await().until(() -> app.recycler().getMemoryAtStart() != null);
			MeterRegistry registry = app.recycler().getContext().getBean(MeterRegistry.class);
			MemorySnapshot ended = app.recycler().getHistory().get(0).memoryAtEnd();
			assertThat(registry.get("recycling.memory.heap.after.gc").tag("snapshot", "end").gauge().value())
				.isEqualTo(ended.heapAfterGcBytes());
			assertThat(registry.get("recycling.memory.heap.after.gc").tag("snapshot", "start").gauge().value())
				.isEqualTo(app.recycler().getMemoryAtStart().heapAfterGcBytes());
			assertThat(registry.find("recycling.memory.rss").meters()).hasSize(2);
		}
	}

	@Test
	void aRegistryThatOutlivesGenerationsKeepsOneSeriesThatReadsTheCurrentGeneration() {
		MeterRegistry outliving = new SimpleMeterRegistry();
		try (Running app = RecyclingApps.run()) {
			new RecyclingMetrics(app.recycler()).bindTo(outliving);
			get(app, 4);
			app.awaitRequestsServed(4);
			app.recycleAndAwait();
			// the next generation binds its own binder to the same registry, as Spring Boot does
			new RecyclingMetrics(app.recycler()).bindTo(outliving);
			get(app, 1);
			app.awaitRequestsServed(1);

			assertThat(outliving.find("recycling.generation").meters()).hasSize(1);
			assertThat(outliving.get("recycling.generation").gauge().value()).isEqualTo(2);
			FunctionCounter requests = outliving.get("recycling.requests").functionCounter();
			assertThat(requests.count()).isEqualTo(5);
			assertThat(outliving.get("recycling.restarts").tag("reason", Recycler.MANUAL).functionCounter().count())
				.isEqualTo(1);
			assertThat(outliving.getMeters()).extracting(Meter::getId)
				.extracting((id) -> id.getName() + id.getTags())
				.doesNotHaveDuplicates();
		}
	}

	private static void get(Running app, int requests) {
		for (int i = 0; i < requests; i++) {
			assertThat(Http.get(app.port(), "/hello").status()).isEqualTo(200);
		}
	}

}
