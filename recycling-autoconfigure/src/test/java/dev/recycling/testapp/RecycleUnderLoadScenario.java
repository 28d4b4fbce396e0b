package dev.recycling.testapp;

import java.time.Duration;
import java.util.List;

import dev.recycling.restart.GenerationRecord;
import dev.recycling.testapp.LoopbackLoad.Result;
import dev.recycling.testapp.RecyclingApps.Running;
import dev.recycling.trigger.RecycleTriggers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The sequential recycle-under-load check shared by the Tomcat and Jetty tests: a real
 * server, real clients opening a new connection per request, several recycles, nothing
 * lost, and each generation stops near its limit.
 */
public final class RecycleUnderLoadScenario {

	/**
	 * Concurrent clients; each has at most one request in flight.
	 */
	public static final int CLIENTS = 8;

	private static final int MAX_REQUESTS = 100;

	private static final int JITTER = 20;

	private static final int RECYCLES = 6;

	private RecycleUnderLoadScenario() {
	}

	/**
	 * Run the scenario and assert: no failed request, the generation advanced, and each
	 * recycled generation served between its drawn limit and the limit plus the requests
	 * already in flight or accepted when it stopped taking connections.
	 * @throws InterruptedException if interrupted
	 */
	public static void recycleUnderLoadLosesNothing() throws InterruptedException {
		Result result;
		List<GenerationRecord> records;
		try (Running app = RecyclingApps.run("--recycling.max-requests=" + MAX_REQUESTS,
				"--recycling.max-requests-jitter=" + JITTER, "--recycling.restart.strategy=sequential")) {
			LoopbackLoad load = LoopbackLoad.start(app.port(), "/hello", CLIENTS, Duration.ofSeconds(120));
			try {
				await().atMost(Duration.ofSeconds(120))
					.until(() -> app.recycler().getHistory().size() >= RECYCLES || app.recycler().getGeneration() > 50);
			}
			finally {
				result = load.stop();
			}
			records = app.recycler().getHistory();
			assertThat(app.recycler().getGeneration()).isGreaterThan(RECYCLES);
		}
		assertThat(result.failures()).as("failed requests, e.g. %s", result.samples()).isEmpty();
		assertThat(result.ok()).isGreaterThanOrEqualTo((long) RECYCLES * MAX_REQUESTS);
		List<GenerationRecord> recycled = records.stream()
			.filter((record) -> record.reason().equals(RecycleTriggers.MAX_REQUESTS))
			.toList();
		assertThat(recycled).hasSizeGreaterThanOrEqualTo(RECYCLES);
		for (GenerationRecord record : recycled) {
			assertThat(record.maxRequests()).isBetween((long) MAX_REQUESTS, (long) MAX_REQUESTS + JITTER);
			assertThat(record.requestsServed()).as("generation %d with limit %d", record.generation(),
					record.maxRequests())
				.isBetween(record.maxRequests(), record.maxRequests() + slack());
		}
		assertThat(recycled.subList(0, recycled.size() - 1)).allSatisfy(
				(record) -> assertThat(record.restartDuration()).isNotNull());
		assertThat(recycled.stream().map(GenerationRecord::generation)).doesNotHaveDuplicates();
	}

	/**
	 * Requests a generation may complete after the one that reached its limit: the other
	 * clients' requests in flight, plus those accepted before the recycler thread stopped
	 * taking connections (each client has at most one connection open, so at most one per
	 * client per round trip of that short window).
	 * @return the allowed overshoot
	 */
	public static long slack() {
		return 4L * CLIENTS;
	}

}
