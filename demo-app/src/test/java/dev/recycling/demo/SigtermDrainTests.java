package dev.recycling.demo;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.recycling.testapp.ChildJvm;
import dev.recycling.testapp.LoopbackLoad;
import dev.recycling.testapp.LoopbackLoad.Result;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * SIGTERM to the demo in a real child JVM, with real clients and a simulated load balancer
 * that probes readiness and stops sending as soon as it sees "not ready": no request fails,
 * readiness is answered over HTTP while the demo drains, and the demo exits by itself.
 */
class SigtermDrainTests {

	private static final Duration QUIET_PERIOD = Duration.ofSeconds(1);

	private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(15);

	@Test
	void sigtermDrainsWithoutFailedRequests() throws Exception {
		try (ChildJvm child = ChildJvm.startMain(DemoApplication.class.getName(),
				"--spring.datasource.url=jdbc:h2:mem:sigterm", "--recycling.drain.quiet-period=" + QUIET_PERIOD,
				"--recycling.drain.timeout=" + DRAIN_TIMEOUT)) {
			int port = child.awaitPort();
			// the port opens before the application is ready; a load balancer waits for readiness too
			await().atMost(Duration.ofSeconds(30))
				.until(() -> LoopbackLoad.status(port, "/actuator/health/readiness") == 200);
			LoopbackLoad load = LoopbackLoad.start(port, "/api/v1/flags", "X-Environment-Key: demo-staging\r\n", 4,
					Duration.ofSeconds(60), Long.MAX_VALUE);
			Prober prober = new Prober(port, load);
			prober.start();
			await().atMost(Duration.ofSeconds(30)).until(() -> prober.answers.stream().filter("200"::equals).count() >= 5);
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
			int firstNotReady = prober.answers.indexOf("503");
			assertThat(firstNotReady).as("probe answers %s", prober.answers).isPositive();
			assertThat(prober.answers.subList(0, firstNotReady)).containsOnly("200");
			// and the server went on answering for the quiet period after the load balancer saw it
			int lastNotReady = prober.answers.lastIndexOf("503");
			Duration servedAfterNotReady = Duration
				.ofNanos(prober.times.get(lastNotReady) - prober.times.get(firstNotReady));
			assertThat(servedAfterNotReady).as("probe answers %s", prober.answers)
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

	/**
	 * Polls readiness every 100 ms on a new connection, like a load balancer health check,
	 * and takes the instance out (stops the load) at the first answer that is not 200.
	 */
	static final class Prober extends Thread {

		final List<String> answers = new CopyOnWriteArrayList<>();

		final List<Long> times = new CopyOnWriteArrayList<>();

		private final int port;

		private final LoopbackLoad load;

		Prober(int port, LoopbackLoad load) {
			super("readiness-prober");
			setDaemon(true);
			this.port = port;
			this.load = load;
		}

		@Override
		public void run() {
			while (!isInterrupted()) {
				String answer = probe();
				this.times.add(System.nanoTime());
				this.answers.add(answer);
				if (!answer.equals("200")) {
					this.load.stopSending();
				}
				try {
					Thread.sleep(100);
				}
				catch (InterruptedException ex) {
					return;
				}
			}
		}

		private String probe() {
			try {
				return Integer.toString(LoopbackLoad.status(this.port, "/actuator/health/readiness"));
			}
			catch (IOException ex) {
				return "error: " + ex.getMessage();
			}
		}

	}

}
