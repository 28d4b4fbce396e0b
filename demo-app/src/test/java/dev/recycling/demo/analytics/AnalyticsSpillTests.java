package dev.recycling.demo.analytics;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;

import dev.recycling.analytics.testsupport.RestartablePostgres;
import dev.recycling.testapp.LoopbackLoad;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The database goes down before the demo shuts down: the shutdown flush spills the
 * counts to disk, and the next start, with the database back, applies them exactly once.
 */
class AnalyticsSpillTests {

	@TempDir
	Path spill;

	@Test
	void countsSpilledWhileTheDatabaseIsDownArePersistedAfterARestart() throws Exception {
		try (RestartablePostgres postgres = RestartablePostgres.start()) {
			String[] args = { "--spring.datasource.url=" + postgres.jdbcUrl(), "--spring.datasource.username=postgres",
					"--spring.datasource.password=", "--spring.datasource.hikari.connection-timeout=500",
					"--recycling.analytics.spill-directory=" + this.spill,
					"--recycling.analytics.flush-interval=1h", "--recycling.analytics.shutdown-timeout=4s",
					"--recycling.analytics.processing.polling-interval=200ms" };
			try (DemoRuns.Running demo = DemoRuns.run(args)) {
				assertThat(LoopbackLoad.start(demo.port(), "/api/v1/flags", "X-Environment-Key: demo-production\r\n",
						2, Duration.ofSeconds(60), 25).awaitCompletion().ok()).isEqualTo(50);
				assertThat(LoopbackLoad.startPost(demo.port(), "/api/v1/analytics/flags",
						"X-Environment-Key: demo-production\r\n", "{\"search-page-size\": 3}", 1,
						Duration.ofSeconds(60), 20).awaitCompletion().ok()).isEqualTo(20);
				postgres.stop();
			}
			assertThat(spillFiles()).as("spilled batches").hasSize(1);
			postgres.restart();
			try (DemoRuns.Running after = DemoRuns.run(args)) {
				JsonNode usage = after.awaitNoPendingBatches("demo-production");
				assertThat(usage.get("apiRequests").get("flags").asLong()).isEqualTo(50);
				assertThat(usage.get("featureEvaluations").get("search-page-size").asLong()).isEqualTo(60);
			}
			assertThat(spillFiles()).as("replayed and removed").isEmpty();
		}
	}

	private Stream<Path> spillFiles() throws Exception {
		try (Stream<Path> files = Files.list(this.spill)) {
			return files.filter((file) -> file.toString().endsWith(".batch")).toList().stream();
		}
	}

}
