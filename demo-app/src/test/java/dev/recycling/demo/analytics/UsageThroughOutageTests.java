package dev.recycling.demo.analytics;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.recycling.analytics.testsupport.RestartablePostgres;
import dev.recycling.testapp.Http;
import dev.recycling.testapp.LoopbackLoad;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The usage API through a database outage, on a real PostgreSQL that stops and starts
 * again: while it is down the API answers 503 at once; when it is back, no answer says
 * {@code pendingBatches: 0} before the totals hold every count recorded, wherever the counts
 * waited (in the caches, in memory, spilled, queued).
 */
class UsageThroughOutageTests {

	private static final String KEY = "demo-production";

	private static final String PASSWORD = "outage-operator-password";

	private final JsonMapper json = JsonMapper.builder().build();

	private final HttpClient client = HttpClient.newHttpClient();

	@TempDir
	Path spill;

	@Test
	void pendingBatchesIsZeroOnlyOnceTheTotalsAreComplete() throws Exception {
		try (RestartablePostgres postgres = RestartablePostgres.start()) {
			String[] args = { "--spring.datasource.url=" + postgres.jdbcUrl(), "--spring.datasource.username=postgres",
					"--spring.datasource.password=", "--spring.datasource.hikari.connection-timeout=500",
					"--recycling.analytics.spill-directory=" + this.spill,
					"--recycling.analytics.flush-interval=200ms", "--recycling.analytics.max-pending-memory=1KB",
					"--recycling.analytics.circuit-breaker.wait-in-open-state=5s",
					"--recycling.analytics.processing.polling-interval=200ms", "--demo.api.read-timeout=1s",
					"--demo.operator.password=" + PASSWORD };
			try (DemoRuns.Running demo = DemoRuns.run(args)) {
				get(demo, 30);
				assertThat(demo.awaitNoPendingBatches(KEY).get("apiRequests").get("flags").asLong()).isEqualTo(30);
				postgres.stop();
				// a few flushes while it is down: batches beyond 1KB are spilled, the rest wait in memory
				for (int round = 0; round < 4; round++) {
					long waiting = waitingBatches(demo);
					get(demo, 10);
					await().atMost(Duration.ofSeconds(30)).until(() -> waitingBatches(demo) > waiting);
				}
				JsonNode analytics = analytics(demo);
				assertThat(analytics.get("spilledBatches").asLong()).as(analytics.toString()).isPositive();
				assertThat(analytics.get("pendingBatches").asLong()).as(analytics.toString()).isPositive();
				long start = System.nanoTime();
				HttpResponse<String> down = usage(demo);
				Duration answeredIn = Duration.ofNanos(System.nanoTime() - start);
				assertThat(down.statusCode()).as(down.body()).isEqualTo(503);
				assertThat(down.headers().firstValue("Content-Type")).hasValueSatisfying(
						(type) -> assertThat(type).startsWith("application/problem+json"));
				assertThat(down.headers().firstValue("Retry-After")).isPresent();
				assertThat(answeredIn).as("not Hikari's default 30 s").isLessThan(Duration.ofSeconds(10));
				postgres.restart();
				List<String> answers = new ArrayList<>();
				await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50)).until(() -> {
					HttpResponse<String> response = usage(demo);
					if (response.statusCode() != 200) {
						return false;
					}
					answers.add(response.body());
					JsonNode usage = this.json.readTree(response.body());
					if (usage.get("pendingBatches").asLong() == 0) {
						assertThat(usage.get("apiRequests").get("flags").asLong()).as(answers.toString())
							.isEqualTo(70);
						return true;
					}
					return false;
				});
				assertThat(this.json.readTree(answers.get(0)).get("pendingBatches").asLong())
					.as("right after the outage the spilled and held batches are pending: " + answers.get(0))
					.isPositive();
			}
		}
	}

	private void get(DemoRuns.Running demo, int requests) throws InterruptedException {
		assertThat(LoopbackLoad.start(demo.port(), "/api/v1/flags", "X-Environment-Key: " + KEY + "\r\n", 1,
				Duration.ofSeconds(60), requests).awaitCompletion().ok()).isEqualTo(requests);
	}

	private long waitingBatches(DemoRuns.Running demo) {
		JsonNode analytics = analytics(demo);
		return analytics.get("spilledBatches").asLong() + analytics.get("pendingBatches").asLong();
	}

	private JsonNode analytics(DemoRuns.Running demo) {
		return this.json.readTree(
				Http.withBasic("GET", demo.port(), "/actuator/analytics", null, "operator", PASSWORD).body());
	}

	private HttpResponse<String> usage(DemoRuns.Running demo) throws Exception {
		return this.client.send(HttpRequest
			.newBuilder(URI.create("http://127.0.0.1:" + demo.port() + "/api/v1/usage?environment=" + KEY))
			.build(), BodyHandlers.ofString());
	}

}
