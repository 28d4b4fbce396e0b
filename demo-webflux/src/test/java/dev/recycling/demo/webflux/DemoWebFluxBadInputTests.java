package dev.recycling.demo.webflux;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.UUID;

import dev.recycling.analytics.cache.ApiUsageCache;
import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A missing or unknown environment key is the client's mistake: a 4xx problem response, and
 * no API usage counted for it.
 */
class DemoWebFluxBadInputTests {

	private final HttpClient client = HttpClient.newHttpClient();

	@Test
	void badKeysAreAnsweredWithProblemsAndNotCounted() throws Exception {
		ConfigurableApplicationContext context = new SpringApplication(DemoWebFluxApplication.class).run(
				"--server.port=0", "--spring.datasource.url=jdbc:h2:mem:bad-input-" + UUID.randomUUID(),
				"--management.metrics.use-global-registry=false");
		try {
			int port = ((WebServerApplicationContext) context).getWebServer().getPort();
			HttpResponse<String> missing = get(port, null);
			assertThat(missing.statusCode()).isEqualTo(400);
			assertThat(missing.headers().firstValue("Content-Type")).hasValue("application/problem+json");
			assertThat(missing.body()).contains("X-Environment-Key");
			HttpResponse<String> blank = get(port, " ");
			assertThat(blank.statusCode()).isEqualTo(400);
			HttpResponse<String> unknown = get(port, "no-such-environment");
			assertThat(unknown.statusCode()).isEqualTo(404);
			assertThat(unknown.headers().firstValue("Content-Type")).hasValue("application/problem+json");
			assertThat(get(port, "demo-staging").statusCode()).isEqualTo(200);
			// counted once its response has been sent, which the client may see first
			ApiUsageCache usage = context.getBean(ApiUsageCache.class);
			await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5)).until(() -> usage.total() == 1);
		}
		finally {
			context.close();
		}
	}

	private HttpResponse<String> get(int port, String key) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/flags"));
		if (key != null) {
			request.header("X-Environment-Key", key);
		}
		return this.client.send(request.build(), BodyHandlers.ofString());
	}

}
