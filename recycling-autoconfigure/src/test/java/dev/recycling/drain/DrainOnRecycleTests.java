package dev.recycling.drain;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;

import dev.recycling.restart.Recycler;
import dev.recycling.restart.RecyclerState;
import dev.recycling.testapp.LoopbackLoad;
import dev.recycling.testapp.RecyclingApps;
import dev.recycling.testapp.RecyclingApps.Running;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The drain gate before a recycle, against the real test application: when readiness is
 * watched, the generation goes out of service and waits for a probe to see it before it
 * restarts; when nobody watches, it restarts at once.
 */
class DrainOnRecycleTests {

	// the drain before a recycle is the sequential strategy's; an overlapped recycle keeps readiness up
	private static final String SEQUENTIAL = "--recycling.restart.strategy=sequential";

	@Test
	void watchedRecycleWaitsUntilAProbeSawNotReady() throws Exception {
		try (Running app = RecyclingApps.run(SEQUENTIAL, "--management.endpoint.health.probes.enabled=true",
				"--recycling.drain.quiet-period=100ms", "--recycling.drain.timeout=5s")) {
			app.watchReadiness();
			assertThat(app.recycler().recycle(Recycler.MANUAL)).isTrue();
			// nobody has probed since: the generation keeps serving, out of service
			await().during(Duration.ofMillis(700)).atMost(Duration.ofSeconds(2))
				.until(() -> app.recycler().getGeneration() == 1 && app.recycler().getState() == RecyclerState.DRAINING);
			assertThat(probe(app)).isEqualTo(503);
			await().atMost(Duration.ofSeconds(30))
				.until(() -> app.recycler().getGeneration() == 2 && !app.recycler().isRecycling());
			assertThat(probe(app)).isEqualTo(200);
		}
	}

	@Test
	void aSingleReadinessCheckAtStartUpDoesNotMakeTheRecycleWait() throws IOException {
		try (Running app = RecyclingApps.run(SEQUENTIAL, "--management.endpoint.health.probes.enabled=true",
				"--recycling.drain.quiet-period=20s", "--recycling.drain.timeout=30s")) {
			// a deploy script waiting for the application, once
			assertThat(probe(app)).isEqualTo(200);
			long start = System.nanoTime();
			assertThat(app.recycler().recycle(Recycler.MANUAL)).isTrue();
			await().atMost(Duration.ofSeconds(30))
				.until(() -> app.recycler().getGeneration() == 2 && !app.recycler().isRecycling());
			assertThat(Duration.ofNanos(System.nanoTime() - start)).as("not the 20 s quiet period or 30 s timeout")
				.isLessThan(Duration.ofSeconds(15));
		}
	}

	@Test
	void unwatchedRecycleDoesNotWait() {
		try (Running app = RecyclingApps.run(SEQUENTIAL, "--recycling.drain.quiet-period=20s", "--recycling.drain.timeout=30s")) {
			long start = System.nanoTime();
			assertThat(app.recycler().recycle(Recycler.MANUAL)).isTrue();
			await().atMost(Duration.ofSeconds(30))
				.until(() -> app.recycler().getGeneration() == 2 && !app.recycler().isRecycling());
			assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(20));
		}
	}

	@Test
	void idleKeepAliveConnectionsDoNotHoldTheRecycleForTheWholeTimeout() throws Exception {
		try (Running app = RecyclingApps.run(SEQUENTIAL, "--recycling.drain.timeout=30s")) {
			// a client that keeps its connection open after its request, as load balancers do
			HttpClient client = HttpClient.newHttpClient();
			HttpRequest hello = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + "/hello")).build();
			assertThat(client.send(hello, BodyHandlers.ofString()).statusCode()).isEqualTo(200);
			long start = System.nanoTime();
			assertThat(app.recycler().recycle(Recycler.MANUAL)).isTrue();
			await().atMost(Duration.ofSeconds(60))
				.until(() -> app.recycler().getGeneration() == 2 && !app.recycler().isRecycling());
			assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(20));
			// the server closed the idle connection; the client reconnects to the next generation
			assertThat(client.send(hello, BodyHandlers.ofString()).statusCode()).isEqualTo(200);
		}
	}

	private static int probe(Running app) throws IOException {
		return LoopbackLoad.status(app.port(), "/actuator/health/readiness");
	}

}
