package dev.recycling.benchmarks.load;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import com.sun.net.httpserver.HttpServer;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIOException;

/**
 * Tests for {@link LoadDriver}: a bounded run against a loopback server, its response
 * reading and its guard rails. Heavy load is left to the scenarios, outside the default
 * test run.
 */
class LoadDriverTests {

	@Test
	void refusesTargetsThatAreNotLoopback() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> LoadDriver.Options.parse(new String[] { "--url", "http://10.0.0.1:8080/" }))
			.withMessageContaining("only targets loopback");
	}

	@Test
	void acceptsLoopbackAndBoundsTheRun() throws IOException {
		LoadDriver.Options options = LoadDriver.Options
			.parse(new String[] { "--url", "http://127.0.0.1:8080/x", "--clients", "4", "--duration", "5s" });
		assertThat(options.clients).isEqualTo(4);
		assertThat(options.duration).hasSeconds(5);
		assertThatIllegalArgumentException().isThrownBy(() -> LoadDriver.Options
			.parse(new String[] { "--url", "http://127.0.0.1:8080/x", "--duration", "11m" }));
	}

	@Test
	void sendsAtMostCountRequestsWithTheMethodAndBodyAndReportsThem() throws Exception {
		List<String> received = new CopyOnWriteArrayList<>();
		HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
		server.createContext("/count", (exchange) -> {
			received.add(exchange.getRequestMethod() + " "
					+ new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
			byte[] answer = "ok".getBytes(StandardCharsets.US_ASCII);
			exchange.sendResponseHeaders(received.size() % 10 == 0 ? 503 : 200, answer.length);
			exchange.getResponseBody().write(answer);
			exchange.close();
		});
		server.start();
		try {
			LoadDriver.Report report = LoadDriver.drive(LoadDriver.Options.parse(new String[] { "--url",
					"http://127.0.0.1:" + server.getAddress().getPort() + "/count", "--clients", "3", "--duration",
					"30s", "--count", "50", "--method", "post", "--body", "{\"dark-mode\": 1}" }));

			assertThat(received).hasSize(50).containsOnly("POST {\"dark-mode\": 1}");
			assertThat(report.total()).isEqualTo(50);
			assertThat(report.ok()).isEqualTo(45);
			assertThat(report.failures()).containsEntry("5xx", 5L);
			assertThat(report.throughput()).isPositive();
			assertThat(report.json()).contains("\"total\": 50").contains("\"throughputPerSecond\"");
		}
		finally {
			server.stop(0);
		}
	}

	@Test
	void keepAliveReconnectsWhenTheServerClosesTheConnection() throws Exception {
		List<String> connections = new CopyOnWriteArrayList<>();
		HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
		server.createContext("/keep", (exchange) -> {
			connections.add(exchange.getRemoteAddress().toString());
			if (connections.size() % 10 == 0) {
				exchange.getResponseHeaders().add("Connection", "close");
			}
			byte[] answer = "ok".getBytes(StandardCharsets.US_ASCII);
			exchange.sendResponseHeaders(200, answer.length);
			exchange.getResponseBody().write(answer);
			exchange.close();
		});
		server.start();
		try {
			LoadDriver.Report report = LoadDriver.drive(LoadDriver.Options.parse(new String[] { "--url",
					"http://127.0.0.1:" + server.getAddress().getPort() + "/keep", "--clients", "1", "--duration",
					"30s", "--count", "50", "--keep-alive" }));

			assertThat(report.ok()).isEqualTo(50);
			assertThat(connections.stream().distinct()).as("one connection per 10 requests").hasSize(5);
		}
		finally {
			server.stop(0);
		}
	}

	@Test
	void aBodyNeedsPost() {
		assertThatIllegalArgumentException().isThrownBy(() -> LoadDriver.Options
			.parse(new String[] { "--url", "http://127.0.0.1:8080/x", "--body", "{}" }))
			.withMessageContaining("--body needs --method POST");
	}

	@Test
	void readsContentLengthAndChunkedResponses() throws IOException {
		assertThat(LoadDriver.readResponse(stream("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello"), false))
			.isEqualTo(new LoadDriver.Response(200, false));
		assertThat(LoadDriver
			.readResponse(stream("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 5\r\n\r\nhello"), false)
			.closes()).isTrue();
		assertThat(LoadDriver.readResponse(
				stream("HTTP/1.1 503 Service Unavailable\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n"),
				false)
			.status()).isEqualTo(503);
		assertThat(LoadDriver.readResponse(stream("HTTP/1.1 200 OK\r\n\r\nuntil close"), true).status())
			.isEqualTo(200);
	}

	@Test
	void truncatedResponsesAreErrors() {
		assertThatIOException().isThrownBy(() -> LoadDriver.readResponse(stream(""), true));
		assertThatIOException().isThrownBy(() -> LoadDriver.readResponse(stream("HTTP/1.1 200 OK\r\nContent-Le"), true));
		assertThatIOException()
			.isThrownBy(() -> LoadDriver.readResponse(stream("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nhel"), true))
			.isInstanceOf(EOFException.class);
	}

	private static ByteArrayInputStream stream(String text) {
		return new ByteArrayInputStream(text.getBytes(StandardCharsets.US_ASCII));
	}

}
