package dev.recycling.testapp;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.recycling.testapp.LoopbackLoad.Result;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * SIGTERM to an application in a real child JVM, with real clients and a simulated load
 * balancer that probes readiness and stops sending as soon as it sees "not ready": no
 * request fails, readiness is answered over HTTP while the application drains, and it exits
 * by itself. The same on both web stacks.
 *
 * @author recycling team
 */
public final class SigtermDrainScenario {

	private static final Duration QUIET_PERIOD = Duration.ofSeconds(1);

	private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(15);

	private SigtermDrainScenario() {
	}

	/**
	 * Run the scenario and assert: no failed request, a "not ready" answer before any error
	 * and served on for the quiet period, an exit by itself within the drain timeout, and the
	 * drain's own account of the wait.
	 * @param mainClass the application's main class
	 * @param path the path the load requests
	 * @param headers extra header lines of the load's requests, each ending with CRLF
	 * @param args further arguments of the application
	 * @throws Exception if the child JVM cannot be started or the wait is interrupted
	 */
	public static void sigtermDrainsWithoutFailedRequests(String mainClass, String path, String headers,
			String... args) throws Exception {
		run(mainClass, path, headers, -1, args);
	}

	/**
	 * Run the scenario with the actuator on its own port, where the load balancer probes
	 * readiness (the application's requests go to the application's port), and assert the
	 * same.
	 * @param mainClass the application's main class
	 * @param path the path the load requests
	 * @param headers extra header lines of the load's requests, each ending with CRLF
	 * @param args further arguments of the application
	 * @throws Exception if the child JVM cannot be started or the wait is interrupted
	 */
	public static void sigtermDrainsWithoutFailedRequestsProbedOnTheManagementPort(String mainClass, String path,
			String headers, String... args) throws Exception {
		int managementPort;
		try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			managementPort = free.getLocalPort();
		}
		List<String> all = new ArrayList<>(List.of(args));
		all.add("--management.server.port=" + managementPort);
		run(mainClass, path, headers, managementPort, all.toArray(String[]::new));
	}

	private static void run(String mainClass, String path, String headers, int managementPort, String... args)
			throws Exception {
		List<String> all = new ArrayList<>(List.of(args));
		all.add("--recycling.drain.quiet-period=" + QUIET_PERIOD);
		all.add("--recycling.drain.timeout=" + DRAIN_TIMEOUT);
		try (ChildJvm child = ChildJvm.startMain(mainClass, all.toArray(String[]::new))) {
			int port = child.awaitPort();
			int probed = (managementPort != -1) ? managementPort : port;
			// the port opens before the application is ready (the management port after it); a load
			// balancer waits for readiness too
			await().atMost(Duration.ofSeconds(30))
				.ignoreExceptions()
				.until(() -> LoopbackLoad.status(probed, "/actuator/health/readiness") == 200);
			LoopbackLoad load = LoopbackLoad.start(port, path, headers, 4,
					Duration.ofSeconds(60), Long.MAX_VALUE);
			ReadinessProber prober = new ReadinessProber(probed, load);
			prober.start();
			await().atMost(Duration.ofSeconds(30)).until(() -> prober.answers().stream().filter("200"::equals).count() >= 5);
			long sigterm = System.nanoTime();
			child.sigterm();
			int status = child.awaitExit(DRAIN_TIMEOUT.plusSeconds(15));
			Duration exitAfter = Duration.ofNanos(System.nanoTime() - sigterm);
			prober.interrupt();
			prober.join();
			Result result = load.stop();
			assertThat(result.failures()).as("failures, e.g. %s\n%s", result.samples(), child.output()).isEmpty();
			assertThat(result.ok()).isPositive();
			// the prober got a real "not ready" answer while the server still served, before any error
			int firstNotReady = prober.answers().indexOf("503");
			assertThat(firstNotReady).as("probe answers %s", prober.answers()).isPositive();
			assertThat(prober.answers().subList(0, firstNotReady)).containsOnly("200");
			// and the server went on answering for the quiet period after the load balancer saw it
			int lastNotReady = prober.answers().lastIndexOf("503");
			Duration servedAfterNotReady = Duration
				.ofNanos(prober.times().get(lastNotReady) - prober.times().get(firstNotReady));
			assertThat(servedAfterNotReady).as("probe answers %s", prober.answers())
				.isGreaterThanOrEqualTo(QUIET_PERIOD.minusMillis(200));
			assertThat(status).as(child.output()).isIn(0, 143);
			assertThat(exitAfter).isGreaterThanOrEqualTo(QUIET_PERIOD).isLessThan(DRAIN_TIMEOUT.plusSeconds(15));
			// the drain's own account: it waited for the probe, then for the quiet period
			Matcher drained = Pattern.compile("readiness probe saw 'not ready' after \\d+ ms, traffic quiet after "
					+ "(\\d+) ms more").matcher(child.output());
			assertThat(drained.find()).as(child.output()).isTrue();
			assertThat(Long.parseLong(drained.group(1))).isGreaterThanOrEqualTo(QUIET_PERIOD.toMillis());
			assertThat(child.output()).doesNotContain("Drain timed out");
		}
	}

}
