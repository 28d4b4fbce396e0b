package dev.recycling.demo.fleet;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.recycling.analytics.testsupport.PostgresServer;
import dev.recycling.analytics.testsupport.PostgresServer.PostgresDatabase;
import dev.recycling.demo.analytics.DemoRuns;
import dev.recycling.demo.analytics.DemoRuns.Running;
import dev.recycling.fleet.FleetBudget;
import dev.recycling.restart.RecyclerState;
import dev.recycling.testapp.LoopbackLoad;
import dev.recycling.testapp.LoopbackLoad.Result;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A fleet in one JVM: three demo instances sharing one real PostgreSQL database, each
 * recycling for real. The recycle budget holds across them, and every count any of them
 * answered is applied exactly once, whichever instance's processor applies the batch.
 */
class FleetTests {

	private static final int INSTANCES = 3;

	private static final Duration LIMIT = Duration.ofSeconds(120);

	@TempDir
	Path spill;

	@Test
	void atMostOneInstanceOfTheFleetRecyclesAtATime() throws Exception {
		PostgresDatabase database = PostgresServer.shared().createDatabase();
		List<Running> fleet = new ArrayList<>();
		try {
			for (int i = 0; i < INSTANCES; i++) {
				// all due together, as after one deploy: only the budget keeps them apart
				fleet.add(DemoRuns.run(with(database, i, "--recycling.max-lifetime=2s",
						"--recycling.fleet.max-concurrent-recycles=1", "--recycling.fleet.name=fleet-tests")));
			}
			int mostAtOnce = 0;
			long deadline = System.nanoTime() + LIMIT.toNanos();
			while (fleet.stream().anyMatch((demo) -> demo.recycler().getRecycleCount() < 2)
					&& System.nanoTime() < deadline) {
				int atOnce = 0;
				for (Running demo : fleet) {
					// after the admission: a recycle the budget refused never leaves SERVING
					atOnce += (demo.recycler().getState() != RecyclerState.SERVING) ? 1 : 0;
				}
				mostAtOnce = Math.max(mostAtOnce, atOnce);
				Thread.onSpinWait();
			}
			assertThat(mostAtOnce).as("instances recycling at the same time").isEqualTo(1);
			assertThat(fleet).allSatisfy((demo) -> assertThat(demo.recycler().getRecycleCount())
				.as("recycles of each instance").isGreaterThanOrEqualTo(2));
			long waits = fleet.stream()
				.mapToLong((demo) -> budget(demo).status().waits())
				.sum();
			assertThat(waits).as("recycles that waited for the slot").isPositive();
			assertThat(fleet).allSatisfy((demo) -> assertThat(budget(demo).status().unbudgeted()).isZero());
		}
		finally {
			fleet.forEach(Running::close);
		}
	}

	@Test
	void countsAnsweredByAnyInstanceAreAppliedExactlyOnceAcrossTheFleet() throws Exception {
		PostgresDatabase database = PostgresServer.shared().createDatabase();
		List<Running> fleet = new ArrayList<>();
		List<LoopbackLoad> gets = new ArrayList<>();
		List<LoopbackLoad> posts = new ArrayList<>();
		long okGets = 0;
		long okPosts = 0;
		try {
			for (int i = 0; i < INSTANCES; i++) {
				// every instance polls for batches: their processors race for each one
				fleet.add(DemoRuns.run(with(database, i, "--recycling.max-requests=300",
						"--recycling.max-requests-jitter=100", "--recycling.analytics.flush-interval=500ms",
						"--recycling.analytics.processing.polling-interval=100ms")));
			}
			for (Running demo : fleet) {
				gets.add(LoopbackLoad.start(demo.port(), "/api/v1/flags",
						"X-Environment-Key: demo-staging\r\nX-Client-Name: fleet\r\n", 2, LIMIT, 50_000));
				posts.add(LoopbackLoad.startPost(demo.port(), "/api/v1/analytics/flags",
						"X-Environment-Key: demo-staging\r\n", "{\"dark-mode\": 2, \"new-checkout\": 1}", 1, LIMIT,
						50_000));
			}
			try {
				await().atMost(LIMIT)
					.pollInterval(Duration.ofMillis(100))
					.until(() -> fleet.stream().allMatch((demo) -> demo.recycler().getRecycleCount() >= 2));
			}
			finally {
				for (LoopbackLoad load : gets) {
					Result result = load.stop();
					assertThat(result.failures()).as("failed GETs, e.g. %s", result.samples()).isEmpty();
					okGets += result.ok();
				}
				for (LoopbackLoad load : posts) {
					Result result = load.stop();
					assertThat(result.failures()).as("failed POSTs, e.g. %s", result.samples()).isEmpty();
					okPosts += result.ok();
				}
			}
		}
		finally {
			fleet.forEach(Running::close);
		}
		try (Running after = DemoRuns.run(with(database, INSTANCES))) {
			JsonNode usage = after.awaitNoPendingBatches("demo-staging");
			assertThat(usage.get("apiRequests").get("flags").asLong()).isEqualTo(okGets);
			assertThat(usage.get("featureEvaluations").get("dark-mode").asLong()).isEqualTo(2 * okPosts);
			assertThat(usage.get("featureEvaluations").get("new-checkout").asLong()).isEqualTo(okPosts);
		}
	}

	private static FleetBudget budget(Running demo) {
		return demo.recycler().getContext().getBean(FleetBudget.class);
	}

	private String[] with(PostgresDatabase database, int instance, String... more) {
		List<String> all = new ArrayList<>(List.of("--spring.datasource.url=" + database.jdbcUrl(),
				"--spring.datasource.username=" + database.username(), "--spring.datasource.password=",
				"--recycling.analytics.spill-directory=" + this.spill.resolve("instance-" + instance)));
		all.addAll(List.of(more));
		return all.toArray(String[]::new);
	}

}
