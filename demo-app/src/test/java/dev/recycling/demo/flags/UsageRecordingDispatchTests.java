package dev.recycling.demo.flags;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import dev.recycling.analytics.cache.ApiUsageCache;
import dev.recycling.analytics.cache.ApiUsageKey;
import dev.recycling.analytics.cache.FeatureEvaluationCache;
import dev.recycling.analytics.cache.Labels;
import dev.recycling.analytics.cache.UsageCount;
import dev.recycling.analytics.web.UsageRecorder;
import jakarta.servlet.http.HttpServletRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.async.DeferredResult;
import org.springframework.web.server.ResponseStatusException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for what a request records through the {@code UsageRecorder} on a real Tomcat, behind
 * the demo's Spring Security, when the request is served in more than one dispatch: an
 * asynchronous handler recording on another thread, a forward, a failed request's error page.
 * Each record counts once, when the first dispatch's response completes, and only if it
 * succeeded.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "spring.datasource.url=jdbc:h2:mem:usage-recording-dispatch-tests;DB_CLOSE_DELAY=-1",
				"recycling.analytics.flush-interval=1h",
				"recycling.analytics.spill-directory=target/usage-recording-dispatch-tests-spill" })
class UsageRecordingDispatchTests {

	private final HttpClient client = HttpClient.newHttpClient();

	@LocalServerPort
	private int port;

	@Autowired
	private ApiUsageCache apiUsage;

	@Autowired
	private FeatureEvaluationCache featureEvaluations;

	@BeforeEach
	@AfterEach
	void emptyTheCaches() {
		this.apiUsage.drain();
		this.featureEvaluations.drain();
	}

	// the client can have the response before the filter commits what it recorded: awaited

	@Test
	void anAsynchronousHandlerRecordingOnAnotherThreadCountsOnceWithTheClientsHeaders() throws Exception {
		for (int i = 0; i < 3; i++) {
			assertThat(get("/test/usage/async").statusCode()).isEqualTo(200);
		}
		await().untilAsserted(() -> assertThat(this.apiUsage.total()).isEqualTo(3));
		List<UsageCount<ApiUsageKey>> counts = this.apiUsage.drain();
		assertThat(counts).singleElement()
			.satisfies((count) -> assertThat(count.key()).isEqualTo(new ApiUsageKey("async",
					"127.0.0.1:" + this.port, "demo-staging",
					Labels.client("dispatch-tests", "2.0", "dispatch-tests-agent"))));
	}

	@Test
	void aForwardedRequestCountsWhatEachDispatchRecordedOnce() throws Exception {
		assertThat(get("/test/usage/forward").statusCode()).isEqualTo(200);
		await().untilAsserted(() -> assertThat(this.featureEvaluations.total()).isEqualTo(5));
		assertThat(get("/test/usage/forward").statusCode()).isEqualTo(200);
		await().untilAsserted(() -> assertThat(this.featureEvaluations.total()).as("2 before the forward, 3 after")
			.isEqualTo(10));
	}

	@Test
	void aFailedRequestAndItsErrorPageCountNothing() throws Exception {
		assertThat(get("/test/usage/failing").statusCode()).isEqualTo(409);
		assertThat(get("/test/usage/async-failing").statusCode()).isEqualTo(409);
		// requests that succeed after them count, and only they
		assertThat(get("/test/usage/forward").statusCode()).isEqualTo(200);
		assertThat(get("/test/usage/async").statusCode()).isEqualTo(200);
		await().untilAsserted(() -> assertThat(this.featureEvaluations.total()).isEqualTo(5));
		await().untilAsserted(() -> assertThat(this.apiUsage.total()).isEqualTo(1));
	}

	private HttpResponse<String> get(String path) throws IOException, InterruptedException {
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path))
			.header("X-Client-Name", "dispatch-tests")
			.header("X-Client-Version", "2.0")
			.header("User-Agent", "dispatch-tests-agent")
			.build();
		return this.client.send(request, BodyHandlers.ofString());
	}

	@TestConfiguration(proxyBeanMethods = false)
	static class Handlers {

		@Bean(destroyMethod = "shutdownNow")
		ExecutorService usageTestsExecutor() {
			return Executors.newFixedThreadPool(2);
		}

		@Bean
		DispatchingController dispatchingController(UsageRecorder usage, ExecutorService usageTestsExecutor) {
			return new DispatchingController(usage, usageTestsExecutor);
		}

	}

	@RestController
	static class DispatchingController {

		private final UsageRecorder usage;

		private final ExecutorService executor;

		DispatchingController(UsageRecorder usage, ExecutorService executor) {
			this.usage = usage;
			this.executor = executor;
		}

		@GetMapping("/test/usage/async")
		DeferredResult<String> async(HttpServletRequest request) {
			DeferredResult<String> result = new DeferredResult<>();
			this.executor.execute(() -> {
				// the request's first record, made on a thread of the application's own
				this.usage.apiRequest(request, "async", "demo-staging");
				result.setResult("done");
			});
			return result;
		}

		@GetMapping("/test/usage/async-failing")
		DeferredResult<String> asyncFailing(HttpServletRequest request) {
			DeferredResult<String> result = new DeferredResult<>();
			this.executor.execute(() -> {
				this.usage.apiRequest(request, "async", "demo-staging");
				result.setErrorResult(new ResponseStatusException(HttpStatus.CONFLICT));
			});
			return result;
		}

		@GetMapping("/test/usage/forward")
		void forward(HttpServletRequest request, jakarta.servlet.http.HttpServletResponse response)
				throws Exception {
			this.usage.featureEvaluations(request, "dark-mode", "demo-staging", Labels.NONE, 2);
			request.getRequestDispatcher("/test/usage/forwarded").forward(request, response);
		}

		@GetMapping("/test/usage/forwarded")
		String forwarded(HttpServletRequest request) {
			this.usage.featureEvaluations(request, "dark-mode", "demo-staging", Labels.NONE, 3);
			return "forwarded";
		}

		@GetMapping("/test/usage/failing")
		String failing(HttpServletRequest request) {
			this.usage.featureEvaluations(request, "dark-mode", "demo-staging", Labels.NONE, 7);
			throw new ResponseStatusException(HttpStatus.CONFLICT);
		}

	}

}
