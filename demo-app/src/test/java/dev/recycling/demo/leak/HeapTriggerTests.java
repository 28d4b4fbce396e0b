package dev.recycling.demo.leak;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import dev.recycling.demo.DemoApplication;
import dev.recycling.testapp.ChildJvm;
import dev.recycling.testapp.Http;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The heap-after-GC trigger in a real JVM with a small heap: the leaking demo recycles
 * itself before it runs out of memory, its record says why, and the verdict saw the leak
 * from the JVM's own collections.
 */
class HeapTriggerTests {

	private static final int LEAK_PER_REQUEST = 256 * 1024;

	// the heap would be full after about 450 requests
	private static final int MAX_REQUESTS = 1_000;

	private static final JsonMapper json = JsonMapper.builder().build();

	@TempDir
	Path spill;

	private static final String OPERATOR_PASSWORD = "heap-trigger-operator";

	@Test
	void aLeakingDemoRecyclesAtTheHeapThresholdAndItsRecordSaysWhy() throws Exception {
		try (ChildJvm child = ChildJvm.startMain(List.of("-Xmx128m", "-XX:+UseG1GC"), DemoApplication.class.getName(),
				"--spring.datasource.url=jdbc:h2:mem:heap-trigger",
				"--recycling.analytics.spill-directory=" + this.spill,
				"--demo.leak.bytes-per-request=" + LEAK_PER_REQUEST,
				"--recycling.memory.heap-after-gc-threshold=50", "--recycling.memory.check-interval=200ms",
				"--recycling.memory.warm-up-requests=10", "--demo.operator.password=" + OPERATOR_PASSWORD)) {
			int port = child.awaitPort();
			int sent = 0;
			JsonNode recycling = recycling(port);
			// paced, so that no more than a few MB leak between two checks
			while (recycling.get("generation").asInt() == 1 && sent < MAX_REQUESTS) {
				assertThat(flags(port)).as(child.output()).isEqualTo(200);
				sent++;
				Thread.sleep(10);
				if (sent % 10 == 0) {
					recycling = recycling(port);
				}
			}
			assertThat(recycling.get("generation").asInt()).as("recycled within %d requests\n%s", MAX_REQUESTS,
					child.output())
				.isEqualTo(2);
			JsonNode record = recycling.get("history").get(0);
			assertThat(record.get("reason").asString()).isEqualTo("heap-after-gc");
			JsonNode end = record.get("memoryAtEnd");
			assertThat(end.get("heapAfterGcBytes").asLong()).isGreaterThanOrEqualTo(end.get("heapMaxBytes").asLong() / 2);
			assertThat(record.get("leakSuspected").asBoolean()).as(record.toString()).isTrue();
			assertThat(record.get("evidence").get(0).asString()).startsWith("heap after GC grew");
			assertThat(child.output()).contains("Generation 1 ended after").contains("(heap-after-gc)")
				.doesNotContain("OutOfMemoryError");
			// the next generation serves, with the leak's memory given back
			assertThat(flags(port)).isEqualTo(200);
		}
	}

	private static JsonNode recycling(int port) {
		Http.Response response = Http.withBasic("GET", port, "/actuator/recycling", null, "operator", OPERATOR_PASSWORD);
		assertThat(response.status()).isEqualTo(200);
		return json.readTree(response.body());
	}

	private static int flags(int port) throws IOException {
		HttpURLConnection connection = (HttpURLConnection) URI.create("http://127.0.0.1:" + port + "/api/v1/flags")
			.toURL()
			.openConnection();
		connection.setRequestProperty("X-Environment-Key", "demo-production");
		connection.setRequestProperty("Connection", "close");
		try {
			return connection.getResponseCode();
		}
		finally {
			connection.disconnect();
		}
	}

}
