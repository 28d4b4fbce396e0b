package dev.recycling.demo.flags;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With {@code recycling.enabled=false} (the baseline of the hot-path benchmark) the demo
 * still starts and serves its flags; only what the starter provides is gone.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "recycling.enabled=false", "spring.datasource.url=jdbc:h2:mem:starter-switched-off" })
class StarterSwitchedOffTests {

	private final HttpClient client = HttpClient.newHttpClient();

	@LocalServerPort
	private int port;

	@Test
	void flagsAreServedWithoutRecyclingOrAnalytics() throws Exception {
		assertThat(send(HttpRequest.newBuilder(uri("/api/v1/flags")).header("X-Environment-Key", "demo-staging"))
			.statusCode()).isEqualTo(200);
		assertThat(send(HttpRequest.newBuilder(uri("/api/v1/analytics/flags"))
			.header("X-Environment-Key", "demo-staging")
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString("{\"dark-mode\": 1}"))).statusCode()).isEqualTo(404);
		assertThat(send(HttpRequest.newBuilder(uri("/actuator/recycling"))).statusCode()).isEqualTo(404);
	}

	private URI uri(String path) {
		return URI.create("http://127.0.0.1:" + this.port + path);
	}

	private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
		return this.client.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

}
