package dev.recycling.demo.security;

import java.nio.file.Path;

import dev.recycling.demo.analytics.DemoRuns;
import dev.recycling.demo.analytics.DemoRuns.Running;
import dev.recycling.testapp.Http;
import dev.recycling.testapp.Http.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The demo's actuator over real HTTP: health, probes and the Prometheus scrape are open;
 * everything else, reads included, needs the operator's HTTP basic credentials.
 */
class ActuatorSecurityTests {

	private static final String PASSWORD = "correct-horse-battery";

	private final JsonMapper json = JsonMapper.builder().build();

	@TempDir
	Path spill;

	@Test
	void writesNeedTheOperatorAndOnlyHealthAndTheScrapeAreOpen() {
		try (Running demo = run("--demo.operator.password=" + PASSWORD)) {
			// not the readiness probe: a probe seen makes the drain wait for the next one
			assertThat(Http.get(demo.port(), "/actuator/health").status()).isEqualTo(200);
			assertThat(Http.get(demo.port(), "/actuator/health/liveness").status()).isEqualTo(200);
			assertThat(Http.get(demo.port(), "/actuator/prometheus").status()).isEqualTo(200);
			assertThat(Http.get(demo.port(), "/actuator/recycling").status()).isEqualTo(401);
			assertThat(Http.get(demo.port(), "/actuator/analytics").status()).isEqualTo(401);
			assertThat(Http.get(demo.port(), "/actuator/metrics").status()).isEqualTo(401);
			assertThat(Http.get(demo.port(), "/actuator").status()).isEqualTo(401);
			assertThat(operatorGet(demo, "/actuator/recycling").status()).isEqualTo(200);
			assertThat(operatorGet(demo, "/actuator/analytics").status()).isEqualTo(200);

			assertThat(Http.post(demo.port(), "/actuator/recycling", "{}").status()).isEqualTo(401);
			assertThat(Http.withBasic("POST", demo.port(), "/actuator/recycling", "{}", "operator", "wrong-password")
				.status()).isEqualTo(401);
			assertThat(Http.withBasic("POST", demo.port(), "/actuator/recycling", "{}", "intruder", PASSWORD)
				.status()).isEqualTo(401);
			assertThat(demo.recycler().getRecycleCount()).isZero();

			assertThat(Http.get(demo.port(), "/api/v1/flags?x=1").status()).as("no environment key").isEqualTo(400);
			Response flush = Http.withBasic("POST", demo.port(), "/actuator/analytics", null, "operator", PASSWORD);
			assertThat(flush.status()).isEqualTo(200);
			assertThat(this.json.readTree(flush.body()).get("trigger").asString()).isEqualTo("manual");

			assertThat(Http.post(demo.port(), "/actuator/recycling", null).status()).as("bare, anonymous")
				.isEqualTo(401);
			Response recycle = Http.withBasic("POST", demo.port(), "/actuator/recycling",
					"{\"reason\":\"security test\"}", "operator", PASSWORD);
			assertThat(recycle.status()).isEqualTo(200);
			assertThat(this.json.readTree(recycle.body()).get("accepted").asBoolean()).isTrue();
			await().until(() -> demo.recycler().getGeneration() == 2 && !demo.recycler().isRecycling());
			JsonNode record = this.json.readTree(operatorGet(demo, "/actuator/recycling").body())
				.get("history")
				.get(0);
			assertThat(record.get("note").asString()).isEqualTo("security test");
			// a bare POST, as curl -X POST sends it, recycles too
			Response bare = Http.withBasic("POST", demo.port(), "/actuator/recycling", null, "operator", PASSWORD);
			assertThat(bare.status()).as(bare.body()).isEqualTo(200);
			await().until(() -> demo.recycler().getGeneration() == 3 && !demo.recycler().isRecycling());
		}
	}

	@Test
	void withoutTheOptInEvenTheOperatorCannotWrite() {
		try (Running demo = run("--demo.operator.password=" + PASSWORD,
				"--management.endpoint.recycling.access=read-only", "--management.endpoint.analytics.access=read-only")) {
			assertThat(operatorGet(demo, "/actuator/analytics").status()).isEqualTo(200);
			assertThat(Http.withBasic("POST", demo.port(), "/actuator/recycling", "{}", "operator", PASSWORD)
				.status()).isEqualTo(405);
			assertThat(Http.withBasic("POST", demo.port(), "/actuator/analytics", null, "operator", PASSWORD)
				.status()).isEqualTo(405);
			assertThat(demo.recycler().getRecycleCount()).isZero();
		}
	}

	@Test
	void withoutAPasswordNoOneCanWrite() {
		try (Running demo = run()) {
			assertThat(Http.withBasic("POST", demo.port(), "/actuator/recycling", "{}", "operator", "")
				.status()).isEqualTo(401);
			assertThat(Http.withBasic("POST", demo.port(), "/actuator/analytics", null, "operator", PASSWORD)
				.status()).isEqualTo(401);
			assertThat(demo.recycler().getRecycleCount()).isZero();
		}
	}

	@Test
	void healthDetailsAreForTheOperatorOnly() throws Exception {
		try (Running demo = run("--demo.operator.password=" + PASSWORD)) {
			JsonNode anonymous = this.json.readTree(Http.get(demo.port(), "/actuator/health").body());
			assertThat(anonymous.get("status").asString()).isEqualTo("UP");
			assertThat(anonymous.has("components")).isFalse();
			JsonNode operator = this.json.readTree(
					Http.withBasic("GET", demo.port(), "/actuator/health", null, "operator", PASSWORD).body());
			JsonNode recycling = operator.get("components").get("recycling");
			assertThat(recycling.get("status").asString()).isEqualTo("UP");
			assertThat(recycling.get("details").get("generation").asInt()).isEqualTo(1);
			assertThat(recycling.get("details").get("state").asString()).isEqualTo("SERVING");
		}
	}

	@Test
	void exposedSensitiveEndpointsNeedTheOperator() {
		try (Running demo = run("--demo.operator.password=" + PASSWORD,
				"--management.endpoints.web.exposure.include=health,prometheus,env,threaddump,heapdump",
				"--management.endpoint.heapdump.access=read-only")) {
			for (String path : new String[] { "/actuator/env", "/actuator/threaddump", "/actuator/heapdump" }) {
				assertThat(Http.get(demo.port(), path).status()).as(path).isEqualTo(401);
			}
			assertThat(operatorGet(demo, "/actuator/env").status()).isEqualTo(200);
		}
	}

	private static Response operatorGet(Running demo, String path) {
		return Http.withBasic("GET", demo.port(), path, null, "operator", PASSWORD);
	}

	private Running run(String... args) {
		return DemoRuns.runOnFreshDatabase(this.spill, args);
	}

}
