package dev.recycling.demo.flags;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import dev.recycling.demo.analytics.DemoRuns;
import dev.recycling.demo.analytics.DemoRuns.Running;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What clients get wrong, over real HTTP against the running demo: every mistake is a 4xx
 * problem response, none is counted as usage, none logs an ERROR, and none makes the server
 * parse or echo more than a bounded amount.
 */
@ExtendWith(OutputCaptureExtension.class)
class ClientInputTests {

	private static final String KEY = "demo-production";

	private final HttpClient client = HttpClient.newHttpClient();

	private final JsonMapper json = JsonMapper.builder().build();

	@TempDir
	Path spill;

	private Running demo;

	@BeforeEach
	void start() {
		this.demo = DemoRuns.runOnFreshDatabase(this.spill, "--recycling.analytics.flush-interval=200ms",
				"--recycling.analytics.processing.polling-interval=200ms");
	}

	@AfterEach
	void stop() {
		this.demo.close();
	}

	@Test
	void onlyRequestsThatSucceedAreCounted(CapturedOutput output) throws Exception {
		for (int i = 0; i < 3; i++) {
			assertThat(send(flags().header("Accept", "text/html")).statusCode()).as("a retried 406").isEqualTo(406);
		}
		assertThat(send(flags()).statusCode()).isEqualTo(200);
		assertThat(send(flags()).statusCode()).isEqualTo(200);
		assertThat(send(request("/api/v1/flags").header("X-Environment-Key", "nobody")).statusCode()).isEqualTo(404);
		HttpResponse<String> rejected = send(evaluations("{\"search-page-size\": 5}").header("Accept", "text/html"));
		assertThat(rejected.statusCode()).isEqualTo(406);
		assertThat(send(evaluations("{\"search-page-size\": 2, \"nope\": 1}")).statusCode()).isEqualTo(400);
		assertThat(send(evaluations("{\"search-page-size\": 2}")).statusCode()).isEqualTo(202);
		JsonNode usage = this.demo.awaitNoPendingBatches(KEY);
		assertThat(usage.get("apiRequests").get("flags").asLong()).isEqualTo(2);
		assertThat(usage.get("featureEvaluations").get("search-page-size").asLong()).isEqualTo(2);
		assertThat(output).doesNotContain(" ERROR ");
	}

	@Test
	void aBodyBeyondTheLimitIsRefusedWith413WhateverItsFraming() throws Exception {
		String big = "{\"search-page-size\": 1, \"padding\": \"" + "x".repeat(70 * 1024) + "\"}";
		HttpResponse<String> sized = send(evaluations(big));
		assertProblem(sized, 413);
		// no Content-Length: the body is read only up to the limit
		HttpResponse<String> chunked = send(request("/api/v1/analytics/flags").header("X-Environment-Key", KEY)
			.header("Content-Type", "application/json")
			.POST(BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(
					big.getBytes(StandardCharsets.UTF_8)))));
		assertProblem(chunked, 413);
		assertThat(this.demo.awaitNoPendingBatches(KEY).get("featureEvaluations").size()).isZero();
	}

	@Test
	void errorsRepeatOnlyABoundedPieceOfTheInput() throws Exception {
		HttpResponse<String> unknown = send(evaluations("{\"" + "f".repeat(20_000) + "\": 1}"));
		assertProblem(unknown, 400);
		assertThat(unknown.body()).hasSizeLessThan(1_000).contains("20000 characters");
		StringBuilder array = new StringBuilder("{\"search-page-size\": [");
		for (int i = 0; i < 5_000; i++) {
			array.append(i).append(',');
		}
		array.append("0]}");
		HttpResponse<String> badCount = send(evaluations(array.toString()));
		assertProblem(badCount, 400);
		assertThat(badCount.body()).hasSizeLessThan(1_000);
		assertProblem(send(evaluations("{\"search-page-size\": ")), 400);
	}

	@Test
	void malformedRequestsAreProblemResponsesAndLogNoError(CapturedOutput output) throws Exception {
		// no Java client sends a query that does not decode: the raw bytes then
		String undecodable = raw("GET /api/v1/usage?environment=%zz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
		assertThat(undecodable).startsWith("HTTP/1.1 400").contains("application/problem+json")
			.contains("Malformed request parameter");
		assertProblem(send(request("/api/v1/usage")), 400);
		assertProblem(send(request("/api/v1/flags")), 400);
		assertProblem(send(request("/api/v1/nothing-here")), 404);
		assertProblem(send(request("/actuator/recycling")), 401);
		String badHeader = raw("GET /api/v1/flags HTTP/1.1\r\nHost: x\r\nX-Environment-Key: demo\u0001prod\r\n"
				+ "Connection: close\r\n\r\n");
		assertThat(badHeader).startsWith("HTTP/1.1 400").contains("application/problem+json").contains("\"status\":400");
		String badTarget = raw("GET /api/v1/fl{ags HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
		assertThat(badTarget).startsWith("HTTP/1.1 400").contains("application/problem+json");
		assertThat(output).doesNotContain(" ERROR ");
	}

	private void assertProblem(HttpResponse<String> response, int status) {
		assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
		assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
				(type) -> assertThat(type).startsWith("application/problem+json"));
		assertThat(this.json.readTree(response.body()).get("status").asInt()).isEqualTo(status);
	}

	private HttpRequest.Builder flags() {
		return request("/api/v1/flags").header("X-Environment-Key", KEY);
	}

	private HttpRequest.Builder evaluations(String body) {
		return request("/api/v1/analytics/flags").header("X-Environment-Key", KEY)
			.header("Content-Type", "application/json")
			.POST(BodyPublishers.ofString(body));
	}

	private HttpRequest.Builder request(String path) {
		return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.demo.port() + path));
	}

	private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
		return this.client.send(request.build(), BodyHandlers.ofString());
	}

	private String raw(String request) throws Exception {
		try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), this.demo.port())) {
			socket.setSoTimeout(10_000);
			OutputStream out = socket.getOutputStream();
			out.write(request.getBytes(StandardCharsets.ISO_8859_1));
			out.flush();
			InputStream in = socket.getInputStream();
			return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
		}
	}

}
