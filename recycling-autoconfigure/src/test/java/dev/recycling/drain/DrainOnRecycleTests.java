package dev.recycling.drain;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import dev.recycling.restart.Recycler;
import dev.recycling.restart.RecyclerState;
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

	@Test
	void watchedRecycleWaitsUntilAProbeSawNotReady() throws IOException {
		try (Running app = RecyclingApps.run("--management.endpoint.health.probes.enabled=true",
				"--recycling.drain.quiet-period=100ms", "--recycling.drain.timeout=5s")) {
			assertThat(probe(app)).isEqualTo(200);
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
	void unwatchedRecycleDoesNotWait() {
		try (Running app = RecyclingApps.run("--recycling.drain.quiet-period=20s", "--recycling.drain.timeout=30s")) {
			long start = System.nanoTime();
			assertThat(app.recycler().recycle(Recycler.MANUAL)).isTrue();
			await().atMost(Duration.ofSeconds(30))
				.until(() -> app.recycler().getGeneration() == 2 && !app.recycler().isRecycling());
			assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(20));
		}
	}

	private static int probe(Running app) throws IOException {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress("127.0.0.1", app.port()), 5_000);
			socket.setSoTimeout(5_000);
			OutputStream out = socket.getOutputStream();
			out.write("GET /actuator/health/readiness HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
				.getBytes(StandardCharsets.US_ASCII));
			InputStream in = socket.getInputStream();
			String response = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
			return Integer.parseInt(response.substring(9, 12));
		}
	}

}
