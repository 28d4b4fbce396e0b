package dev.recycling.testapp;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.recycling.restart.GenerationRecord;
import dev.recycling.restart.RecyclerState;
import dev.recycling.restart.StartFailure;
import dev.recycling.testapp.LoopbackLoad.Result;
import dev.recycling.testapp.RecyclingApps.Running;
import dev.recycling.trigger.RecycleTriggers;

import org.springframework.boot.test.system.CapturedOutput;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The overlap restart strategy under real load, shared by the Tomcat and Jetty tests: the
 * next generation starts while the current one serves and takes over the held socket.
 */
public final class OverlapScenario {

	private static final int CLIENTS = 8;

	private static final int MAX_REQUESTS = 150;

	private static final int JITTER = 30;

	private static final int RECYCLES = 5;

	private static final Consumer<Running> NO_CHECK = (app) -> {
	};

	private OverlapScenario() {
	}

	/**
	 * Many overlapped recycles under load, with a readiness prober as a load balancer runs
	 * one: no request fails, readiness never answers anything but 200, every record says
	 * when the handover happened.
	 * @param keepAlive whether the clients keep their connections open across requests
	 * @param args extra application arguments
	 * @throws InterruptedException if interrupted
	 */
	public static void overlappedRecyclesUnderLoadLoseNothing(boolean keepAlive, String... args)
			throws InterruptedException {
		overlappedRecyclesUnderLoadLoseNothing(keepAlive, false, NO_CHECK, args);
	}

	/**
	 * Many overlapped recycles under load with the application on virtual threads
	 * ({@code spring.threads.virtual.enabled}, Java 21 or later): the first and the last
	 * generation serve their requests on virtual threads, and nothing is lost on the way.
	 * @throws InterruptedException if interrupted
	 */
	public static void overlappedRecyclesOnVirtualThreadsLoseNothing() throws InterruptedException {
		overlappedRecyclesUnderLoadLoseNothing(false, false, OverlapScenario::servesOnVirtualThreads,
				RecyclingApps.VIRTUAL_THREADS);
	}

	private static void servesOnVirtualThreads(Running app) {
		Http.Response thread = Http.get(app.port(), "/thread");
		assertThat(thread.status()).isEqualTo(200);
		assertThat(thread.body()).as("the thread of a request in generation %d", app.recycler().getGeneration())
			.startsWith("VirtualThread[");
	}

	/**
	 * Many overlapped recycles under load with the actuator on its own port
	 * ({@code management.server.port=0}), probed there: that socket is held and handed
	 * over too, so its port stays the same and readiness never fails.
	 * @throws InterruptedException if interrupted
	 */
	public static void managementPortIsHeldAndHandedOver() throws InterruptedException {
		overlappedRecyclesUnderLoadLoseNothing(false, true, NO_CHECK, "--management.server.port=0");
	}

	// check: runs in the first generation before the load and in the last one after it
	private static void overlappedRecyclesUnderLoadLoseNothing(boolean keepAlive, boolean managementPort,
			Consumer<Running> check, String... args) throws InterruptedException {
		List<String> all = new ArrayList<>(List.of("--recycling.max-requests=" + MAX_REQUESTS,
				"--recycling.max-requests-jitter=" + JITTER));
		all.addAll(List.of(args));
		Result result;
		List<GenerationRecord> records;
		Prober prober;
		try (Running app = RecyclingApps.run(all.toArray(String[]::new))) {
			check.accept(app);
			int probePort = managementPort ? managementPort(app) : app.port();
			prober = Prober.start(probePort);
			LoopbackLoad load = keepAlive ? LoopbackLoad.startKeepAlive(app.port(), "/hello", CLIENTS,
					Duration.ofSeconds(120)) : LoopbackLoad.start(app.port(), "/hello", CLIENTS, Duration.ofSeconds(120));
			try {
				await().atMost(Duration.ofSeconds(120)).until(() -> app.recycler().getHistory().size() >= RECYCLES);
			}
			finally {
				result = load.stop();
				prober.stop();
			}
			records = app.recycler().getHistory();
			check.accept(app);
			if (managementPort) {
				assertThat(managementPort(app)).isEqualTo(probePort);
			}
		}
		assertThat(result.failures()).as("failed requests, e.g. %s", result.samples()).isEmpty();
		assertThat(prober.notReady()).as("readiness answers other than 200: %s", prober.answers()).isZero();
		assertThat(prober.ready()).isPositive();
		List<GenerationRecord> recycled = records.stream()
			.filter((record) -> record.reason().equals(RecycleTriggers.MAX_REQUESTS))
			.toList();
		assertThat(recycled).hasSizeGreaterThanOrEqualTo(RECYCLES);
		assertThat(recycled).allSatisfy((record) -> {
			assertThat(record.strategy()).isEqualTo("overlap");
			assertThat(record.handedOverAt()).isNotNull().isBeforeOrEqualTo(record.endedAt());
			assertThat(record.overlap()).isNotNull();
			assertThat(record.restartDuration()).isNotNull().isLessThanOrEqualTo(record.overlap());
			// the current generation serves on while the next one starts
			assertThat(record.requestsServed()).isGreaterThanOrEqualTo(record.maxRequests());
		});
		assertThat(recycled.stream().map(GenerationRecord::generation)).doesNotHaveDuplicates();
	}

	private static int managementPort(Running app) {
		Integer port = app.recycler().getContext().getEnvironment().getProperty("local.management.port", Integer.class);
		assertThat(port).isNotNull().isNotEqualTo(app.port());
		return port;
	}

	/**
	 * A next generation that fails to start after its web server started (parked) leaves the
	 * current one serving under load, is recorded, and the recycle is retried after the
	 * backoff until a next generation starts.
	 * @throws InterruptedException if interrupted
	 */
	public static void failedStartKeepsTheCurrentGenerationServingAndRetries() throws InterruptedException {
		String token = UUID.randomUUID().toString();
		Result result;
		Prober prober;
		try (Running app = RecyclingApps.run("--testapp.fail-runner=" + token + ":2:2",
				"--recycling.restart.retry-backoff=300ms")) {
			prober = Prober.start(app.port());
			LoopbackLoad load = LoopbackLoad.start(app.port(), "/hello", 4, Duration.ofSeconds(60));
			try {
				assertThat(app.recycler().recycle("test")).isTrue();
				await().atMost(Duration.ofSeconds(30)).until(() -> app.recycler().getStartFailures().size() == 1);
				// after the failure, generation 1 still serves and takes no recycle until the retry
				assertThat(app.recycler().getGeneration()).isEqualTo(1);
				assertThat(app.recycler().getState()).isIn(RecyclerState.SERVING, RecyclerState.STARTING_NEXT);
				await().atMost(Duration.ofSeconds(30)).until(() -> app.recycler().getStartFailures().size() == 2);
				app.awaitServing(2);
			}
			finally {
				result = load.stop();
				prober.stop();
			}
			List<StartFailure> failures = app.recycler().getStartFailures();
			assertThat(failures).extracting(StartFailure::generation).containsExactly(2, 2);
			assertThat(failures.get(0).cause()).contains("fails to start on purpose");
			// doubled after the second failure
			assertThat(failures.get(1).retryIn()).isEqualTo(failures.get(0).retryIn().multipliedBy(2));
			assertThat(app.recycler().getStatistics().startFailures()).isEqualTo(2);
			GenerationRecord first = app.recycler().getHistory().get(0);
			assertThat(first.generation()).isEqualTo(1);
			assertThat(first.failedStarts()).isEqualTo(2);
			assertThat(first.strategy()).isEqualTo("overlap");
			// the next recycle starts a generation 3 (numbers are not used up by failed starts)
			app.recycleAndAwait();
			assertThat(app.recycler().getGeneration()).isEqualTo(3);
		}
		assertThat(result.failures()).as("failed requests, e.g. %s", result.samples()).isEmpty();
		assertThat(result.ok()).isPositive();
		assertThat(prober.notReady()).as("readiness answers other than 200: %s", prober.answers()).isZero();
	}

	/**
	 * Every line the serving generations log while their successors start is in the output:
	 * nothing is suppressed or lost while the next generation sets up logging, and logging
	 * still works in the last generation.
	 * @param output the captured output
	 * @throws InterruptedException if interrupted
	 */
	public static void noLogLineIsLost(CapturedOutput output) throws InterruptedException {
		Result result;
		int generation;
		try (Running app = RecyclingApps.run()) {
			LoopbackLoad load = LoopbackLoad.start(app.port(), "/logged", 4, Duration.ofSeconds(60));
			try {
				for (int i = 0; i < 3; i++) {
					app.recycleAndAwait();
				}
			}
			finally {
				result = load.stop();
			}
			generation = app.recycler().getGeneration();
		}
		assertThat(generation).isEqualTo(4);
		assertThat(result.failures()).isEmpty();
		Matcher lines = Pattern.compile("logged request (\\d+)").matcher(output.getOut());
		Set<Long> numbers = new HashSet<>();
		while (lines.find()) {
			numbers.add(Long.parseLong(lines.group(1)));
		}
		// numbered from 1 in this JVM's first use; every number up to the highest is there
		long highest = numbers.stream().mapToLong(Long::longValue).max().orElse(0);
		long lowest = numbers.stream().mapToLong(Long::longValue).min().orElse(0);
		assertThat(numbers).as("log lines of %d requests", result.ok()).hasSize((int) (highest - lowest + 1));
		assertThat((long) numbers.size()).isGreaterThanOrEqualTo(result.ok());
	}

	/**
	 * With less heap headroom than recycling.restart.overlap-heap-threshold asks, a recycle
	 * runs sequentially, and its record says why.
	 */
	public static void lowHeadroomRecyclesSequentially() {
		try (Running app = RecyclingApps.run("--recycling.restart.overlap-heap-threshold=0.001")) {
			app.recycleAndAwait();
			GenerationRecord record = app.recycler().getHistory().get(0);
			assertThat(record.strategy()).isEqualTo("sequential");
			assertThat(record.strategyNote()).contains("recycling.restart.overlap-heap-threshold");
			assertThat(record.handedOverAt()).isNull();
		}
	}

	/**
	 * Polls readiness on a new connection every 20 ms, as a load balancer's health check
	 * does (faster, so that a short dip would show).
	 */
	static final class Prober {

		private final int port;

		private final AtomicBoolean running = new AtomicBoolean(true);

		private final AtomicLong ready = new AtomicLong();

		private final Map<String, AtomicLong> answers = new ConcurrentHashMap<>();

		private final Thread thread;

		private Prober(int port) {
			this.port = port;
			this.thread = new Thread(this::run, "readiness-prober");
			this.thread.setDaemon(true);
		}

		static Prober start(int port) {
			Prober prober = new Prober(port);
			prober.thread.start();
			return prober;
		}

		private void run() {
			while (this.running.get()) {
				String answer;
				try {
					int status = LoopbackLoad.status(this.port, "/actuator/health/readiness");
					answer = (status == 200) ? null : "status " + status;
				}
				catch (IOException ex) {
					answer = ex.toString();
				}
				if (answer == null) {
					this.ready.incrementAndGet();
				}
				else {
					this.answers.computeIfAbsent(answer, (key) -> new AtomicLong()).incrementAndGet();
				}
				try {
					// the prober's period: the scenario, not a wait for the server
					Thread.sleep(20);
				}
				catch (InterruptedException ex) {
					return;
				}
			}
		}

		void stop() throws InterruptedException {
			this.running.set(false);
			this.thread.join(10_000);
		}

		long ready() {
			return this.ready.get();
		}

		long notReady() {
			return this.answers.values().stream().mapToLong(AtomicLong::get).sum();
		}

		Map<String, AtomicLong> answers() {
			return this.answers;
		}

	}

}
