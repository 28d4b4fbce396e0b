package dev.recycling.demo.flags;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.recycling.analytics.cache.ApiUsageCache;
import dev.recycling.analytics.cache.ApiUsageKey;
import dev.recycling.analytics.cache.Labels;
import dev.recycling.analytics.cache.UsageCount;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for the flags API and the probes over real HTTP against the real embedded server.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "spring.datasource.url=jdbc:h2:file:./target/h2/flags-api-tests;DB_CLOSE_ON_EXIT=FALSE",
				// no periodic flush takes a count before a test reads it from the cache
				"recycling.analytics.flush-interval=1h" })
class FlagsApiTests {

	private final HttpClient client = HttpClient.newHttpClient();

	private final JsonMapper json = JsonMapper.builder().build();

	@LocalServerPort
	private int port;

	@Autowired
	private ApiUsageCache apiUsage;

	@Test
	void flagsOfTheEnvironmentAreServed() throws Exception {
		HttpResponse<String> response = get("/api/v1/flags", "demo-staging");
		assertThat(response.statusCode()).isEqualTo(200);
		JsonNode flags = this.json.readTree(response.body());
		assertThat(flags.isArray()).isTrue();
		assertThat(flags.valueStream().map((flag) -> flag.get("feature").asString())).contains("new-checkout",
				"dark-mode", "search-page-size");
		assertThat(flags.valueStream()
			.filter((flag) -> flag.get("feature").asString().equals("new-checkout"))
			.map((flag) -> flag.get("enabled").asBoolean())).containsExactly(true);
	}

	@Test
	void aRequestIsCountedWithTheHostAndTheClientsLabelsItSent() throws Exception {
		String name = "flags-api-tests-" + System.nanoTime();
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/api/v1/flags"))
			.header("X-Environment-Key", "demo-staging")
			.header("X-Client-Name", name)
			.header("X-Client-Version", " 2.1 ")
			.header("User-Agent", "flags-api-tests/1")
			.build();
		assertThat(this.client.send(request, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
		// committed when the filter chain returns, which may be just after the client has the body
		List<ApiUsageKey> keys = new ArrayList<>();
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
			this.apiUsage.drain()
				.stream()
				.map(UsageCount::key)
				.filter((key) -> name.equals(key.labels().asMap().get(Labels.CLIENT_APPLICATION_NAME)))
				.forEach(keys::add);
			assertThat(keys).containsExactly(new ApiUsageKey("flags", "127.0.0.1:" + this.port, "demo-staging",
					Labels.client(name, "2.1", "flags-api-tests/1")));
		});
	}

	@Test
	void environmentsHaveTheirOwnFlags() throws Exception {
		JsonNode production = this.json.readTree(get("/api/v1/flags", "demo-production").body());
		JsonNode staging = this.json.readTree(get("/api/v1/flags", "demo-staging").body());
		assertThat(production).isNotEqualTo(staging);
	}

	@Test
	void missingEnvironmentKeyGetsBadRequestWithJsonError() throws Exception {
		HttpResponse<String> response = get("/api/v1/flags", null);
		assertThat(response.statusCode()).isEqualTo(400);
		assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
				(type) -> assertThat(type).startsWith("application/problem+json"));
		JsonNode problem = this.json.readTree(response.body());
		assertThat(problem.get("status").asInt()).isEqualTo(400);
		assertThat(problem.get("detail").asString()).contains("X-Environment-Key");
	}

	@Test
	void blankEnvironmentKeyGetsBadRequest() throws Exception {
		assertThat(get("/api/v1/flags", " ").statusCode()).isEqualTo(400);
	}

	@Test
	void unknownEnvironmentKeyGetsNotFoundWithJsonError() throws Exception {
		HttpResponse<String> response = get("/api/v1/flags", "no-such-environment");
		assertThat(response.statusCode()).isEqualTo(404);
		JsonNode problem = this.json.readTree(response.body());
		assertThat(problem.get("title").asString()).isEqualTo("Unknown environment key");
	}

	@Test
	void readinessAndLivenessProbesAreUp() throws Exception {
		for (String probe : new String[] { "/actuator/health/readiness", "/actuator/health/liveness" }) {
			HttpResponse<String> response = get(probe, null);
			assertThat(response.statusCode()).as(probe).isEqualTo(200);
			assertThat(this.json.readTree(response.body()).get("status").asString()).as(probe).isEqualTo("UP");
		}
	}

	private HttpResponse<String> get(String path, String environmentKey) throws IOException, InterruptedException {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path));
		if (environmentKey != null) {
			request.header("X-Environment-Key", environmentKey);
		}
		return this.client.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

}
