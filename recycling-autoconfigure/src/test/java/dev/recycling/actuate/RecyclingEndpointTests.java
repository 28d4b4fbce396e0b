package dev.recycling.actuate;

import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import dev.recycling.restart.GenerationRecord;
import dev.recycling.restart.Recycler;
import dev.recycling.restart.RecyclerState;
import dev.recycling.testapp.Http;
import dev.recycling.testapp.Http.Response;
import dev.recycling.testapp.RecyclingApps;
import dev.recycling.testapp.RecyclingApps.Running;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for the {@code recycling} endpoint and health contributor over real HTTP.
 */
class RecyclingEndpointTests {

	// the drain and its states belong to the sequential strategy
	private static final String SEQUENTIAL = "--recycling.restart.strategy=sequential";


	private static final String EXPOSE = "--management.endpoints.web.exposure.include=recycling,health";

	private final JsonMapper json = JsonMapper.builder().build();

	@Test
	void readsTheCurrentGenerationAndRefusesWritesByDefault() {
		try (Running app = RecyclingApps.run(EXPOSE, "--recycling.max-requests=1000")) {
			for (int i = 0; i < 3; i++) {
				assertThat(Http.get(app.port(), "/hello").status()).isEqualTo(200);
			}
			app.awaitRequestsServed(3);
			Response read = Http.get(app.port(), "/actuator/recycling");
			assertThat(read.status()).isEqualTo(200);
			JsonNode body = this.json.readTree(read.body());
			assertThat(body.get("generation").asInt()).isEqualTo(1);
			assertThat(body.get("state").asString()).isEqualTo("SERVING");
			assertThat(body.get("mode").asString()).isEqualTo("context");
			assertThat(body.get("requestsServed").asLong()).isEqualTo(3);
			assertThat(body.get("limits").get("maxRequests").asLong()).isEqualTo(1000);
			assertThat(body.get("limits").get("maxLifetime").isNull()).isTrue();
			assertThat(body.get("history").isEmpty()).isTrue();

			Response write = Http.post(app.port(), "/actuator/recycling", "{}");
			assertThat(write.status()).as("no write operation without the opt-in").isEqualTo(405);
			assertThat(app.recycler().getRecycleCount()).isZero();
			assertThat(app.recycler().getGeneration()).isEqualTo(1);
		}
	}

	@Test
	void withAccessUnrestrictedAPostRecyclesAndTheRecordKeepsTheNote() {
		try (Running app = RecyclingApps.run(EXPOSE, "--management.endpoint.recycling.access=unrestricted")) {
			Response write = Http.post(app.port(), "/actuator/recycling", "{\"reason\":\"rotate\\ncredentials\"}");
			assertThat(write.status()).isEqualTo(200);
			JsonNode answer = this.json.readTree(write.body());
			assertThat(answer.get("accepted").asBoolean()).isTrue();
			assertThat(answer.get("generation").asInt()).isEqualTo(1);
			assertThat(answer.get("reason").asString()).isEqualTo(Recycler.MANUAL);
			assertThat(answer.get("note").asString()).isEqualTo("rotate credentials");
			assertThat(answer.get("message").asString()).contains("generation 2");
			app.awaitServing(2);

			JsonNode body = this.json.readTree(Http.get(app.port(), "/actuator/recycling").body());
			assertThat(body.get("generation").asInt()).isEqualTo(2);
			assertThat(body.get("recycles").asInt()).isEqualTo(1);
			assertThat(body.get("recyclesByReason").get(Recycler.MANUAL).asLong()).isEqualTo(1);
			JsonNode record = body.get("history").get(0);
			assertThat(record.get("generation").asInt()).isEqualTo(1);
			assertThat(record.get("reason").asString()).isEqualTo(Recycler.MANUAL);
			assertThat(record.get("note").asString()).isEqualTo("rotate credentials");
			assertThat(record.get("restartDuration").asString()).startsWith("PT");
		}
	}

	@Test
	void aSecondRecycleWhileOneIsUnderWayIsNotAccepted() throws Exception {
		try (Running app = RecyclingApps.run(EXPOSE, "--management.endpoint.recycling.access=unrestricted",
				"--management.endpoint.health.probes.enabled=true", SEQUENTIAL)) {
			// readiness watched: the drain waits for the next probe, so the recycle stays under way
			app.watchReadiness();
			assertThat(app.recycler().recycle(Recycler.MANUAL)).isTrue();
			JsonNode answer = this.json.readTree(Http.post(app.port(), "/actuator/recycling", "{}").body());
			assertThat(answer.get("accepted").asBoolean()).isFalse();
			assertThat(answer.get("message").asString()).contains("DRAINING");
			assertThat(Http.get(app.port(), "/actuator/health/readiness").status()).isEqualTo(503);
			app.awaitServing(2);
			assertThat(app.recycler().getRecycleCount()).isEqualTo(1);
		}
	}

	@Test
	void aBarePostRecyclesAsCurlSendsIt() throws Exception {
		try (Running app = RecyclingApps.run(EXPOSE, "--management.endpoint.recycling.access=unrestricted")) {
			// what `curl -X POST localhost:8080/actuator/recycling` sends: no body, no content type
			String response = raw(app.port(), "POST /actuator/recycling HTTP/1.1\r\nHost: 127.0.0.1\r\n"
					+ "User-Agent: curl/8.5.0\r\nAccept: */*\r\nConnection: close\r\n\r\n");
			assertThat(response).startsWith("HTTP/1.1 200").contains("\"accepted\":true");
			app.awaitServing(2);
			// and with an empty body announced by Content-Length: 0
			String empty = raw(app.port(), "POST /actuator/recycling HTTP/1.1\r\nHost: 127.0.0.1\r\n"
					+ "Content-Length: 0\r\nConnection: close\r\n\r\n");
			assertThat(empty).startsWith("HTTP/1.1 200").contains("\"accepted\":true");
			app.awaitServing(3);
			assertThat(app.recycler().getHistory()).extracting(GenerationRecord::note).containsOnlyNulls();
		}
	}

	@Test
	void aBarePostWithoutTheOptInIsStillRefused() throws Exception {
		try (Running app = RecyclingApps.run(EXPOSE)) {
			String response = raw(app.port(),
					"POST /actuator/recycling HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
			assertThat(response).startsWith("HTTP/1.1 405");
			assertThat(app.recycler().getRecycleCount()).isZero();
		}
	}

	private static String raw(int port, String request) throws Exception {
		try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
			socket.setSoTimeout(30_000);
			socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
			return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		}
	}

	@Test
	void historySizeBoundsTheRecordsKeptAndShownNewestFirst() {
		try (Running app = RecyclingApps.run(EXPOSE, "--recycling.history-size=2")) {
			for (int i = 0; i < 3; i++) {
				app.recycleAndAwait();
			}
			JsonNode history = this.json.readTree(Http.get(app.port(), "/actuator/recycling").body()).get("history");
			assertThat(history.size()).isEqualTo(2);
			assertThat(history.get(0).get("generation").asInt()).isEqualTo(3);
			assertThat(history.get(1).get("generation").asInt()).isEqualTo(2);
		}
	}

	@Test
	void healthIsOutOfServiceFromTheStartOfAShutdownDrain() throws Exception {
		Running app = RecyclingApps.run(EXPOSE, "--management.endpoint.health.show-details=always",
				"--management.endpoint.health.probes.enabled=true", "--recycling.drain.quiet-period=200ms");
		app.watchReadiness();
		Thread closing = new Thread(() -> app.recycler().getContext().close());
		closing.start();
		// the drain waits for the watched readiness probe: the generation is draining meanwhile
		await().until(() -> app.recycler().getState() == RecyclerState.DRAINING);
		Response draining = Http.get(app.port(), "/actuator/health");
		assertThat(draining.status()).isEqualTo(503);
		assertThat(this.json.readTree(draining.body()).get("components").get("recycling").get("details")
			.get("state").asString()).isEqualTo("DRAINING");
		assertThat(Http.get(app.port(), "/actuator/health/readiness").status()).isEqualTo(503);
		closing.join(30_000);
		assertThat(closing.isAlive()).isFalse();
	}

	@Test
	void healthIsOutOfServiceWhileTheGenerationDrains() throws Exception {
		try (Running app = RecyclingApps.run(EXPOSE, "--management.endpoint.health.show-details=always",
				"--management.endpoint.health.probes.enabled=true", "--recycling.drain.quiet-period=200ms",
				SEQUENTIAL)) {
			JsonNode up = this.json.readTree(Http.get(app.port(), "/actuator/health").body());
			assertThat(up.get("components").get("recycling").get("status").asString()).isEqualTo("UP");
			assertThat(up.get("components").get("recycling").get("details").get("generation").asInt()).isEqualTo(1);
			app.watchReadiness();

			assertThat(app.recycler().recycle(Recycler.MANUAL)).isTrue();
			assertThat(app.recycler().getState()).isEqualTo(RecyclerState.DRAINING);
			Response draining = Http.get(app.port(), "/actuator/health");
			assertThat(draining.status()).isEqualTo(503);
			JsonNode recycling = this.json.readTree(draining.body()).get("components").get("recycling");
			assertThat(recycling.get("status").asString()).isEqualTo("OUT_OF_SERVICE");
			assertThat(recycling.get("details").get("state").asString()).isEqualTo("DRAINING");

			// the load balancer sees "not ready": the drain goes on and the next generation serves
			assertThat(Http.get(app.port(), "/actuator/health/readiness").status()).isEqualTo(503);
			app.awaitServing(2);
			JsonNode next = this.json.readTree(Http.get(app.port(), "/actuator/health").body());
			assertThat(next.get("status").asString()).isEqualTo("UP");
			assertThat(next.get("components").get("recycling").get("details").get("generation").asInt())
				.isEqualTo(2);
		}
	}

}
