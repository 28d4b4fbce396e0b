package dev.recycling.demo.webflux;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.UUID;

import dev.recycling.analytics.cache.ApiUsageCache;
import dev.recycling.analytics.web.UsageRecordingWebFilter;
import dev.recycling.trigger.RecycleTriggers;
import dev.recycling.trigger.RequestCountingWebFilter;
import org.assertj.core.api.Condition;
import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.server.reactive.HttpHandler;
import org.springframework.web.server.WebHandler;
import org.springframework.web.server.handler.FilteringWebHandler;
import org.springframework.web.server.handler.WebHandlerDecorator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The demo's exchanges go through one filter of the starter's that counts the request and
 * records its API usage (the usage filter runs inside the request counting filter), and both
 * counts happen.
 */
class DemoWebFluxFilterChainTests {

	@Test
	void oneFilterOfTheStartersCountsTheRequestAndItsUsage() throws Exception {
		ConfigurableApplicationContext context = new SpringApplication(DemoWebFluxApplication.class).run(
				"--server.port=0", "--spring.datasource.url=jdbc:h2:mem:filter-chain-" + UUID.randomUUID(),
				"--management.metrics.use-global-registry=false");
		try {
			assertThat(filtering(context.getBean(HttpHandler.class)).getFilters())
				.haveExactly(1, new Condition<>(RequestCountingWebFilter.class::isInstance, "request counting"))
				.noneMatch(UsageRecordingWebFilter.class::isInstance);
			int port = ((WebServerApplicationContext) context).getWebServer().getPort();
			HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/flags"))
				.header("X-Environment-Key", "demo-staging")
				.build();
			HttpResponse<String> response = HttpClient.newHttpClient().send(request, BodyHandlers.ofString());
			assertThat(response.statusCode()).isEqualTo(200);
			assertThat(context.getBean(RecycleTriggers.class).requestsServed()).isEqualTo(1);
			ApiUsageCache usage = context.getBean(ApiUsageCache.class);
			await().atMost(Duration.ofSeconds(5)).until(() -> usage.total() == 1);
		}
		finally {
			context.close();
		}
	}

	private static FilteringWebHandler filtering(HttpHandler handler) {
		WebHandler web = (WebHandler) handler;
		while (!(web instanceof FilteringWebHandler) && web instanceof WebHandlerDecorator decorator) {
			web = decorator.getDelegate();
		}
		assertThat(web).isInstanceOf(FilteringWebHandler.class);
		return (FilteringWebHandler) web;
	}

}
