package dev.recycling.demo.flags;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;

import dev.recycling.analytics.flush.AnalyticsFlusher;
import dev.recycling.analytics.flush.FlushTrigger;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for the analytics API over real HTTP: evaluations and usage are recorded, flushed
 * as one task to a real (H2) database and reported; bad input gets a 4xx and records
 * nothing.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "spring.datasource.url=jdbc:h2:mem:analytics-api-tests;DB_CLOSE_DELAY=-1",
				"recycling.analytics.flush-interval=1h", "recycling.analytics.processing.polling-interval=200ms",
				"recycling.analytics.spill-directory=target/analytics-api-tests-spill" })
class AnalyticsApiTests {

	private final HttpClient client = HttpClient.newHttpClient();

	private final JsonMapper json = JsonMapper.builder().build();

	@LocalServerPort
	private int port;

	@Autowired
	private AnalyticsFlusher flusher;

	@Test
	void usageAndEvaluationsArePersistedAndReportedOnceApplied() throws Exception {
		for (int i = 0; i < 3; i++) {
			assertThat(send("GET", "/api/v1/flags", "demo-staging", null).statusCode()).isEqualTo(200);
		}
		HttpResponse<String> posted = send("POST", "/api/v1/analytics/flags", "demo-staging",
				"{\"dark-mode\": 2, \"new-checkout\": 5, \"search-page-size\": 0}");
		assertThat(posted.statusCode()).isEqualTo(202);
		assertThat(this.json.readTree(posted.body()).get("recorded").asLong()).isEqualTo(7);
		this.flusher.flush(FlushTrigger.MANUAL);
		JsonNode usage = awaitApplied("demo-staging");
		assertThat(usage.get("apiRequests").get("flags").asLong()).isEqualTo(3);
		assertThat(usage.get("featureEvaluations").get("dark-mode").asLong()).isEqualTo(2);
		assertThat(usage.get("featureEvaluations").get("new-checkout").asLong()).isEqualTo(5);
		assertThat(usage.get("featureEvaluations").has("search-page-size")).isFalse();
	}

	@ParameterizedTest
	@ValueSource(strings = { "{\"dark-mode\": ", "[1, 2]", "\"text\"", "{\"dark-mode\": -1}", "{\"dark-mode\": 1.5}",
			"{\"dark-mode\": \"3\"}", "{\"dark-mode\": 1000001}", "{\"no-such-feature\": 1}",
			"{\"dark-mode\": 1, \"new-checkout\": -1}", "{\"dark-mode\": 99999999999999999999999}" })
	void badEvaluationsGetBadRequestAndRecordNothing(String body) throws Exception {
		HttpResponse<String> response = send("POST", "/api/v1/analytics/flags", "demo-production", body);
		assertThat(response.statusCode()).isEqualTo(400);
		assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
				(type) -> assertThat(type).startsWith("application/problem+json"));
		this.flusher.flush(FlushTrigger.MANUAL);
		assertThat(awaitApplied("demo-production").get("featureEvaluations").size()).isZero();
	}

	@Test
	void evaluationsOfAnUnknownOrMissingEnvironmentAreRejected() throws Exception {
		assertThat(send("POST", "/api/v1/analytics/flags", "no-such-environment", "{\"dark-mode\": 1}").statusCode())
			.isEqualTo(404);
		assertThat(send("POST", "/api/v1/analytics/flags", null, "{\"dark-mode\": 1}").statusCode()).isEqualTo(400);
	}

	@Test
	void usageOfAnUnknownOrMissingEnvironmentIsRejected() throws Exception {
		assertThat(send("GET", "/api/v1/usage?environment=no-such-environment", null, null).statusCode())
			.isEqualTo(404);
		assertThat(send("GET", "/api/v1/usage", null, null).statusCode()).isEqualTo(400);
	}

	private JsonNode awaitApplied(String environment) throws IOException, InterruptedException {
		await().atMost(Duration.ofSeconds(30))
			.until(() -> usage(environment).get("pendingBatches").asLong() == 0);
		return usage(environment);
	}

	private JsonNode usage(String environment) throws IOException, InterruptedException {
		HttpResponse<String> response = send("GET", "/api/v1/usage?environment=" + environment, null, null);
		assertThat(response.statusCode()).isEqualTo(200);
		return this.json.readTree(response.body());
	}

	private HttpResponse<String> send(String method, String path, @Nullable String environmentKey,
			@Nullable String json) throws IOException, InterruptedException {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path))
			.method(method, (json != null) ? BodyPublishers.ofString(json) : BodyPublishers.noBody())
			.header("User-Agent", "analytics-api-tests");
		if (environmentKey != null) {
			request.header("X-Environment-Key", environmentKey);
		}
		if (json != null) {
			request.header("Content-Type", "application/json");
		}
		return this.client.send(request.build(), BodyHandlers.ofString());
	}

}
