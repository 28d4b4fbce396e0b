package dev.recycling.demo.analytics;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import dev.recycling.analytics.testsupport.PostgresServer;
import dev.recycling.analytics.testsupport.PostgresServer.PostgresDatabase;
import dev.recycling.restart.GenerationRecord;
import dev.recycling.testapp.LoopbackLoad;
import dev.recycling.testapp.LoopbackLoad.Result;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Conservation of counts, end to end: usage hits and feature evaluations sent to the demo
 * over real HTTP, across several in-process recycles and a final shutdown, equal exactly
 * the totals persisted in a real database once every batch is applied; on H2 again with the
 * requests on virtual threads (Java 21 or later), and with every bean initialized lazily.
 */
class AnalyticsConservationTests {

	private static final int GET_CLIENTS = 4;

	private static final int POST_CLIENTS = 2;

	// the load goes on until this many recycles are done: how many requests that takes depends
	// on how long a start takes here, as an overlapped generation serves on during the next start
	private static final int RECYCLES = 3;

	// a cap for each client, far above what RECYCLES takes, so the load stops by itself
	private static final int REQUESTS_PER_CLIENT = 50_000;

	private static final Duration LOAD_LIMIT = Duration.ofSeconds(150);

	@TempDir
	Path spill;

	@ParameterizedTest(name = "{0} {1}")
	@CsvSource({ "h2, ''", "postgresql, ''", "h2, spring.threads.virtual.enabled=true",
			"h2, spring.main.lazy-initialization=true" })
	void countsRecordedAcrossRecyclesAndShutdownArePersistedExactlyOnce(String platform, String setting)
			throws Exception {
		boolean virtualThreads = setting.equals("spring.threads.virtual.enabled=true");
		assumeTrue(!virtualThreads || Runtime.version().feature() >= 21, "virtual threads need Java 21 or later");
		String[] database = setting.isEmpty() ? database(platform) : with(database(platform), "--" + setting);
		Result gets;
		Result posts;
		int recycles;
		List<String> strategies;
		try (DemoRuns.Running demo = DemoRuns.run(with(database, "--recycling.max-requests=150",
				"--recycling.analytics.flush-interval=1s"))) {
			assertThat(demo.servesOnVirtualThreads()).as("requests on virtual threads").isEqualTo(virtualThreads);
			LoopbackLoad getLoad = LoopbackLoad.start(demo.port(), "/api/v1/flags",
					"X-Environment-Key: demo-staging\r\nX-Client-Name: conservation\r\n", GET_CLIENTS,
					LOAD_LIMIT, REQUESTS_PER_CLIENT);
			LoopbackLoad postLoad = LoopbackLoad.startPost(demo.port(), "/api/v1/analytics/flags",
					"X-Environment-Key: demo-staging\r\n", "{\"dark-mode\": 2, \"new-checkout\": 1}", POST_CLIENTS,
					LOAD_LIMIT, REQUESTS_PER_CLIENT);
			try {
				await().atMost(LOAD_LIMIT)
					.pollInterval(Duration.ofMillis(100))
					.until(() -> demo.recycler().getRecycleCount() >= RECYCLES);
			}
			finally {
				// requests under way complete: each answered one is counted by the client
				gets = getLoad.stop();
				posts = postLoad.stop();
			}
			recycles = demo.recycler().getRecycleCount();
			strategies = demo.recycler().getHistory().stream().map(GenerationRecord::strategy).toList();
		}
		assertThat(gets.failures()).as("failed GETs, e.g. %s", gets.samples()).isEmpty();
		assertThat(posts.failures()).as("failed POSTs, e.g. %s", posts.samples()).isEmpty();
		assertThat(recycles).as("recycles during the load").isGreaterThanOrEqualTo(RECYCLES);
		// the default strategy: two generations, two caches and two flushers alive at once each time
		assertThat(strategies).as("strategies of the recycled generations").contains("overlap")
			.allMatch((strategy) -> strategy == null || strategy.equals("overlap"));
		// a new run applies what the last generation enqueued at shutdown, if no processor did
		try (DemoRuns.Running after = DemoRuns.run(database)) {
			JsonNode usage = after.awaitNoPendingBatches("demo-staging");
			assertThat(usage.get("apiRequests").get("flags").asLong()).isEqualTo(gets.ok());
			assertThat(usage.get("featureEvaluations").get("dark-mode").asLong()).isEqualTo(2 * posts.ok());
			assertThat(usage.get("featureEvaluations").get("new-checkout").asLong()).isEqualTo(posts.ok());
		}
	}

	private String[] database(String platform) {
		String spillDirectory = "--recycling.analytics.spill-directory=" + this.spill;
		String polling = "--recycling.analytics.processing.polling-interval=200ms";
		if (platform.equals("h2")) {
			return new String[] { "--spring.datasource.url=jdbc:h2:mem:conservation-" + UUID.randomUUID()
					+ ";DB_CLOSE_DELAY=-1", spillDirectory, polling };
		}
		PostgresDatabase postgres = PostgresServer.shared().createDatabase();
		return new String[] { "--spring.datasource.url=" + postgres.jdbcUrl(),
				"--spring.datasource.username=" + postgres.username(), "--spring.datasource.password=",
				spillDirectory, polling };
	}

	private static String[] with(String[] database, String... more) {
		String[] all = new String[database.length + more.length];
		System.arraycopy(database, 0, all, 0, database.length);
		System.arraycopy(more, 0, all, database.length, more.length);
		return all;
	}

}
