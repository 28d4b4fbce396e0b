package dev.recycling.demo.webflux;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import dev.recycling.analytics.cache.ApiUsageCache;
import dev.recycling.analytics.web.UsageRecordingHttpHandler;
import dev.recycling.restart.Recycler;
import dev.recycling.trigger.RecycleTriggers;
import dev.recycling.trigger.RequestCountingHttpHandler;
import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.server.reactive.HttpHandler;
import org.springframework.web.server.handler.FilteringWebHandler;
import org.springframework.web.server.handler.WebHandlerDecorator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The starter counts the demo's requests and records their usage around WebFlux's handler,
 * outside the filter chain, and adds no filter to the chain (every filter costs an exchange a
 * deferred step and a checkpoint, and WebFlux calls every filter of a chain from one place,
 * which the JIT inlines for at most two filter types); both counts happen.
 */
class DemoWebFluxFilterChainTests {

	@Test
	void theChainHoldsNoFilterOfTheStartersAndBothCountsHappen() throws Exception {
		try (ConfigurableApplicationContext context = run()) {
			HttpHandler handler = context.getBean(HttpHandler.class);
			assertThat(handler).isInstanceOf(RequestCountingHttpHandler.class);
			assertThat(((RequestCountingHttpHandler) handler).getDelegate())
				.isInstanceOf(UsageRecordingHttpHandler.class);
			assertThat(filtering(handler).getFilters()).isEmpty();
			assertThat(get(context, "/api/v1/flags")).isEqualTo(200);
			assertThat(context.getBean(RecycleTriggers.class).requestsServed()).isEqualTo(1);
			ApiUsageCache usage = context.getBean(ApiUsageCache.class);
			await().atMost(Duration.ofSeconds(5)).until(() -> usage.total() == 1);
		}
	}

	@Test
	void withForwardedHeadersTransformedByWebFluxTheUsageIsRecorded() throws Exception {
		try (ConfigurableApplicationContext context = run("--server.forward-headers-strategy=framework")) {
			HttpRequest request = HttpRequest.newBuilder(uri(context, "/api/v1/flags"))
				.header("X-Environment-Key", "demo-staging")
				.header("X-Forwarded-Proto", "https")
				.header("X-Forwarded-Prefix", "/edge")
				.build();
			assertThat(HttpClient.newHttpClient().send(request, BodyHandlers.discarding()).statusCode())
				.isEqualTo(200);
			ApiUsageCache usage = context.getBean(ApiUsageCache.class);
			await().atMost(Duration.ofSeconds(5)).until(() -> usage.total() == 1);
		}
	}

	@Test
	void onTheActuatorsOwnPortNothingCountsAndTheApplicationsRequestsStillDo() throws Exception {
		try (ConfigurableApplicationContext context = run("--management.server.port=0")) {
			int managementPort = context.getEnvironment().getRequiredProperty("local.management.port", Integer.class);
			// the management server's child context gets the parent's decorators: they leave it alone
			assertThat(get(URI.create("http://127.0.0.1:" + managementPort + "/actuator/health"))).isEqualTo(200);
			RecycleTriggers triggers = context.getBean(RecycleTriggers.class);
			assertThat(triggers.requestsServed()).isZero();
			assertThat(get(context, "/api/v1/flags")).isEqualTo(200);
			assertThat(triggers.requestsServed()).isEqualTo(1);
			ApiUsageCache usage = context.getBean(ApiUsageCache.class);
			await().atMost(Duration.ofSeconds(5)).until(() -> usage.total() == 1);
		}
	}

	@Test
	void withoutAnalyticsNoUsageIsRecorded() throws Exception {
		try (ConfigurableApplicationContext context = run("--recycling.analytics.enabled=false")) {
			HttpHandler handler = context.getBean(HttpHandler.class);
			assertThat(((RequestCountingHttpHandler) handler).getDelegate())
				.isNotInstanceOf(UsageRecordingHttpHandler.class);
			assertThat(filtering(handler).getFilters()).isEmpty();
			assertThat(get(context, "/api/v1/flags")).isEqualTo(200);
			assertThat(get(context, "/actuator/health")).isEqualTo(200);
			assertThat(context.getBean(RecycleTriggers.class).requestsServed()).isEqualTo(1);
		}
	}

	@Test
	void withTheWriteOperationOptedInABarePostRecycles() throws Exception {
		ConfigurableApplicationContext context = run("--management.endpoint.recycling.access=unrestricted");
		Recycler recycler = context.getBean(Recycler.class);
		try {
			// what `curl -X POST .../actuator/recycling` sends: no body, no content type
			HttpRequest request = HttpRequest.newBuilder(uri(context, "/actuator/recycling"))
				.POST(BodyPublishers.noBody())
				.build();
			HttpResponse<String> response = HttpClient.newHttpClient().send(request, BodyHandlers.ofString());
			assertThat(response.statusCode()).isEqualTo(200);
			assertThat(response.body()).contains("\"accepted\":true");
			await().atMost(Duration.ofSeconds(60))
				.until(() -> recycler.getGeneration() == 2 && !recycler.isRecycling());
		}
		finally {
			// the generation serving now
			ConfigurableApplicationContext current = recycler.getContext();
			if (current != null) {
				current.close();
			}
		}
	}

	private static ConfigurableApplicationContext run(String... args) {
		List<String> all = new ArrayList<>(List.of("--server.port=0",
				"--spring.datasource.url=jdbc:h2:mem:filter-chain-" + UUID.randomUUID(),
				"--management.metrics.use-global-registry=false"));
		all.addAll(List.of(args));
		return new SpringApplication(DemoWebFluxApplication.class).run(all.toArray(String[]::new));
	}

	private static int get(ConfigurableApplicationContext context, String path) throws Exception {
		return get(uri(context, path));
	}

	private static int get(URI uri) throws Exception {
		HttpRequest request = HttpRequest.newBuilder(uri)
			.header("X-Environment-Key", "demo-staging")
			.build();
		return HttpClient.newHttpClient().send(request, BodyHandlers.discarding()).statusCode();
	}

	private static URI uri(ConfigurableApplicationContext context, String path) {
		int port = ((WebServerApplicationContext) context).getWebServer().getPort();
		return URI.create("http://127.0.0.1:" + port + path);
	}

	private static FilteringWebHandler filtering(HttpHandler handler) {
		Object web = (handler instanceof RequestCountingHttpHandler counting) ? counting.getDelegate() : handler;
		web = (web instanceof UsageRecordingHttpHandler usage) ? usage.getDelegate() : web;
		while (!(web instanceof FilteringWebHandler) && web instanceof WebHandlerDecorator decorator) {
			web = decorator.getDelegate();
		}
		assertThat(web).isInstanceOf(FilteringWebHandler.class);
		return (FilteringWebHandler) web;
	}

}
