package dev.recycling.shutdown;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;

import dev.recycling.restart.Recycler;
import dev.recycling.shutdown.ShutdownHookReport.HookResult;
import dev.recycling.shutdown.ShutdownHookReport.Outcome;
import dev.recycling.testapp.ChildJvm;
import dev.recycling.testapp.RecyclingApps;
import dev.recycling.testapp.RecyclingApps.Running;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link ShutdownHookChain}: order, isolation of failures and timeouts, and when
 * the chain runs in a real application on close, on recycle and on SIGTERM.
 */
class ShutdownHookChainTests {

	@BeforeEach
	void clearEvents() {
		HookReportingApplication.events.clear();
	}

	@Test
	void hooksRunInOrderOnceAndAFailingOrSlowHookDoesNotStopTheNext() {
		Queue<String> ran = new ConcurrentLinkedQueue<>();
		RecyclingShutdownHook failing = (context) -> {
			ran.add("failing");
			throw new IllegalStateException("boom");
		};
		RecyclingShutdownHook slow = new RecyclingShutdownHook() {
			@Override
			public void run(ShutdownContext context) throws InterruptedException {
				ran.add("slow " + context.timeout().toMillis());
				Thread.sleep(60_000);
				ran.add("slow finished");
			}

			@Override
			public String name() {
				return "slow";
			}

			@Override
			public Duration timeout() {
				return Duration.ofMillis(200);
			}
		};
		RecyclingShutdownHook last = (context) -> ran.add("last " + context.generation() + " " + context.reason()
				+ " " + context.timeout().toMillis());
		ShutdownHookChain chain = new ShutdownHookChain(List.of(failing, slow, last), Duration.ofSeconds(5), () -> 4,
				() -> "max-requests");
		chain.start();
		chain.stop();
		ShutdownHookReport report = chain.getReport();
		assertThat(report).isNotNull();
		assertThat(report.generation()).isEqualTo(4);
		assertThat(report.hooks()).extracting(HookResult::outcome)
			.containsExactly(Outcome.FAILED, Outcome.TIMED_OUT, Outcome.COMPLETED);
		assertThat(report.hooks().get(0).error()).contains("boom");
		assertThat(report.allCompleted()).isFalse();
		assertThat(ran).containsExactly("failing", "slow 200", "last 4 max-requests 5000");
		assertThat(chain.runOnce()).isNull();
		assertThat(chain.isRunning()).isFalse();
		assertThat(ran).hasSize(3);
	}

	@Test
	void closeRunsHooksAfterInFlightRequestsAndTheServerStopAndBeforeBeansAreDestroyed() throws Exception {
		Running app = RecyclingApps.run(
				(application) -> application.addPrimarySources(List.of(HookReportingApplication.class)),
				"--server.shutdown=graceful", "--recycling.drain.enabled=false");
		CompletableFuture<HttpResponse<String>> slow = HttpClient.newHttpClient()
			.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + "/slow")).build(),
					BodyHandlers.ofString());
		await().atMost(Duration.ofSeconds(10))
			.until(() -> HookReportingApplication.events.contains("slow request started"));
		app.close();
		assertThat(slow.get().statusCode()).isEqualTo(200);
		assertThat(HookReportingApplication.events).containsExactly("slow request started", "slow request finished",
				"first hook generation=1 reason=shutdown server-accepts=false resource-closed=false",
				"second hook generation=1", "resource closed");
	}

	@Test
	void recycleRunsHooksOncePerGenerationWithTheRecycleReason() {
		Running app = RecyclingApps.run(
				(application) -> application.addPrimarySources(List.of(HookReportingApplication.class)),
				"--recycling.drain.enabled=false");
		try {
			assertThat(app.recycler().recycle(Recycler.MANUAL)).isTrue();
			await().atMost(Duration.ofSeconds(60)).until(() -> app.recycler().getGeneration() == 2
					&& !app.recycler().isRecycling());
		}
		finally {
			app.close();
		}
		assertThat(HookReportingApplication.events).filteredOn((event) -> event.contains("hook"))
			.containsExactly("first hook generation=1 reason=manual server-accepts=true resource-closed=false",
					"second hook generation=1",
					"first hook generation=2 reason=shutdown server-accepts=false resource-closed=false",
					"second hook generation=2");
	}

	@Test
	void sigtermRunsHooksOnceBeforeTheJvmExits() throws Exception {
		try (ChildJvm child = ChildJvm.startMain(HookReportingApplication.class.getName(),
				"--recycling.drain.enabled=false")) {
			child.awaitPort();
			child.sigterm();
			child.awaitExit(Duration.ofSeconds(60));
			assertThat(child.output()).containsOnlyOnce("hook-test-event: first hook generation=1 reason=shutdown "
					+ "server-accepts=false resource-closed=false")
				.containsOnlyOnce("hook-test-event: second hook generation=1")
				.containsOnlyOnce("hook-test-event: resource closed");
			assertThat(child.output().indexOf("second hook")).isLessThan(child.output().indexOf("resource closed"));
		}
	}

}
