package dev.recycling.testapp;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

import org.jspecify.annotations.Nullable;

/**
 * Real HTTP/1.1 load on loopback: each client opens a new connection per request
 * ({@code Connection: close}), reads the whole response and classifies failures. Bounded:
 * it stops when asked or after {@code maxDuration}, whichever is first.
 */
public final class LoopbackLoad implements AutoCloseable {

	private final int port;

	private final String path;

	private final String headers;

	private final String method;

	private final String body;

	private final long deadlineNanos;

	private final long requestsPerClient;

	private final boolean keepAlive;

	private final List<Thread> clients = new ArrayList<>();

	private final AtomicLong ok = new AtomicLong();

	private final Map<String, AtomicLong> failures = new ConcurrentHashMap<>();

	private final ConcurrentLinkedQueue<String> samples = new ConcurrentLinkedQueue<>();

	private volatile boolean running = true;

	private LoopbackLoad(int port, String method, String path, String headers, String body, int clientCount,
			Duration maxDuration, long requestsPerClient) {
		this(port, method, path, headers, body, clientCount, maxDuration, requestsPerClient, false);
	}

	private LoopbackLoad(int port, String method, String path, String headers, String body, int clientCount,
			Duration maxDuration, long requestsPerClient, boolean keepAlive) {
		this.keepAlive = keepAlive;
		this.port = port;
		this.method = method;
		this.path = path;
		this.headers = headers;
		this.body = body;
		this.deadlineNanos = System.nanoTime() + maxDuration.toNanos();
		this.requestsPerClient = requestsPerClient;
		for (int i = 0; i < clientCount; i++) {
			Thread client = new Thread(this::run, "load-client-" + i);
			client.setDaemon(true);
			this.clients.add(client);
		}
	}

	/**
	 * Start the load.
	 * @param port the loopback port
	 * @param path the request path
	 * @param clients the number of concurrent clients
	 * @param maxDuration the longest the load runs
	 * @return the running load
	 */
	public static LoopbackLoad start(int port, String path, int clients, Duration maxDuration) {
		return start(port, path, clients, maxDuration, Long.MAX_VALUE);
	}

	/**
	 * Start a load of a fixed number of requests per client.
	 * @param port the loopback port
	 * @param path the request path
	 * @param clients the number of concurrent clients
	 * @param maxDuration the longest the load runs
	 * @param requestsPerClient the requests each client sends, one after the other
	 * @return the running load
	 */
	public static LoopbackLoad start(int port, String path, int clients, Duration maxDuration,
			long requestsPerClient) {
		return start(port, path, "", clients, maxDuration, requestsPerClient);
	}

	/**
	 * Start a load that sends extra request headers.
	 * @param port the loopback port
	 * @param path the request path
	 * @param headers extra header lines, each ending with CRLF
	 * @param clients the number of concurrent clients
	 * @param maxDuration the longest the load runs
	 * @param requestsPerClient the requests each client sends, one after the other
	 * @return the running load
	 */
	public static LoopbackLoad start(int port, String path, String headers, int clients, Duration maxDuration,
			long requestsPerClient) {
		LoopbackLoad load = new LoopbackLoad(port, "GET", path, headers, "", clients, maxDuration, requestsPerClient);
		load.clients.forEach(Thread::start);
		return load;
	}

	/**
	 * Start a load of JSON POST requests; any 2xx status counts as success.
	 * @param port the loopback port
	 * @param path the request path
	 * @param headers extra header lines, each ending with CRLF
	 * @param json the request body
	 * @param clients the number of concurrent clients
	 * @param maxDuration the longest the load runs
	 * @param requestsPerClient the requests each client sends, one after the other
	 * @return the running load
	 */
	public static LoopbackLoad startPost(int port, String path, String headers, String json, int clients,
			Duration maxDuration, long requestsPerClient) {
		LoopbackLoad load = new LoopbackLoad(port, "POST", path, headers + "Content-Type: application/json\r\n"
				+ "Content-Length: " + json.getBytes(StandardCharsets.UTF_8).length + "\r\n", json, clients,
				maxDuration, requestsPerClient);
		load.clients.forEach(Thread::start);
		return load;
	}

	/**
	 * Start a load of clients that each keep one connection open across their requests, as
	 * browsers, load balancers and HTTP client libraries do (the JDK's {@link HttpClient},
	 * which sends a GET again on a new connection when the server closed the old one before
	 * answering, as such clients do).
	 * @param port the loopback port
	 * @param path the request path
	 * @param clients the number of concurrent clients
	 * @param maxDuration the longest the load runs
	 * @return the running load
	 */
	public static LoopbackLoad startKeepAlive(int port, String path, int clients, Duration maxDuration) {
		return startKeepAlive(port, path, "", clients, maxDuration);
	}

	/**
	 * Start a load of keep-alive clients that send extra request headers.
	 * @param port the loopback port
	 * @param path the request path
	 * @param headers extra header lines, each ending with CRLF
	 * @param clients the number of concurrent clients
	 * @param maxDuration the longest the load runs
	 * @return the running load
	 */
	public static LoopbackLoad startKeepAlive(int port, String path, String headers, int clients,
			Duration maxDuration) {
		LoopbackLoad load = new LoopbackLoad(port, "GET", path, headers, "", clients, maxDuration, Long.MAX_VALUE,
				true);
		load.clients.forEach(Thread::start);
		return load;
	}

	/**
	 * Wait until every client has sent its requests (or the time is up) and return what
	 * they saw.
	 * @return the result
	 * @throws InterruptedException if interrupted while waiting for the clients
	 */
	public Result awaitCompletion() throws InterruptedException {
		for (Thread client : this.clients) {
			client.join();
		}
		return stop();
	}

	private void run() {
		HttpClient client = this.keepAlive ? HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
			.connectTimeout(Duration.ofSeconds(10))
			.build() : null;
		HttpRequest request = this.keepAlive ? keptAliveRequest() : null;
		for (long sent = 0; sent < this.requestsPerClient && this.running
				&& System.nanoTime() - this.deadlineNanos < 0; sent++) {
			String failure = (client != null && request != null) ? requestKeptAlive(client, request) : requestOnce();
			if (failure == null) {
				this.ok.incrementAndGet();
			}
			else {
				String kind = failure.contains(":") ? failure.substring(0, failure.indexOf(':')) : failure;
				this.failures.computeIfAbsent(kind, (key) -> new AtomicLong()).incrementAndGet();
				if (this.samples.size() < 20) {
					this.samples.add(failure);
				}
			}
		}
	}

	private HttpRequest keptAliveRequest() {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + this.path))
			.timeout(Duration.ofSeconds(30));
		for (String line : this.headers.split("\r\n")) {
			int colon = line.indexOf(':');
			if (colon > 0) {
				request.header(line.substring(0, colon).trim(), line.substring(colon + 1).trim());
			}
		}
		return request.build();
	}

	private static @Nullable String requestKeptAlive(HttpClient client, HttpRequest request) {
		try {
			HttpResponse<String> response = client.send(request, BodyHandlers.ofString());
			int status = response.statusCode();
			return (status >= 500) ? "5xx: " + status : (status / 100 != 2) ? "other: status " + status : null;
		}
		catch (HttpTimeoutException ex) {
			return "timeout: " + ex.getMessage();
		}
		catch (IOException ex) {
			return (String.valueOf(ex.getMessage()).contains("reset") ? "reset: " : "other: ") + ex;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return "other: interrupted";
		}
	}

	private String requestOnce() {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress("127.0.0.1", this.port), 10_000);
			socket.setSoTimeout(30_000);
			OutputStream out = socket.getOutputStream();
			out.write((this.method + " " + this.path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
					+ this.headers + "\r\n" + this.body)
				.getBytes(StandardCharsets.UTF_8));
			out.flush();
			String response = readAll(socket.getInputStream());
			if (!response.startsWith("HTTP/1.1 ")) {
				return "incomplete: " + response.length() + " bytes";
			}
			int status = Integer.parseInt(response.substring(9, 12));
			if (status >= 500) {
				return "5xx: " + status;
			}
			if (status / 100 != 2) {
				return "other: status " + status;
			}
			return null;
		}
		catch (ConnectException ex) {
			return "refused: " + ex.getMessage();
		}
		catch (SocketTimeoutException ex) {
			return "timeout: " + ex.getMessage();
		}
		catch (SocketException ex) {
			return (String.valueOf(ex.getMessage()).contains("reset") ? "reset: " : "other: ") + ex.getMessage();
		}
		catch (IOException | RuntimeException ex) {
			return "other: " + ex;
		}
	}

	/**
	 * Send one GET on a new connection and return the status, as a health check does.
	 * @param port the loopback port
	 * @param path the request path
	 * @return the HTTP status
	 * @throws IOException if the connection fails or the response is incomplete
	 */
	public static int status(int port, String path) throws IOException {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress("127.0.0.1", port), 2_000);
			socket.setSoTimeout(5_000);
			OutputStream out = socket.getOutputStream();
			out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
				.getBytes(StandardCharsets.US_ASCII));
			String response = readAll(socket.getInputStream());
			if (!response.startsWith("HTTP/1.1 ")) {
				throw new IOException("incomplete response: " + response.length() + " bytes");
			}
			return Integer.parseInt(response.substring(9, 12));
		}
	}

	private static String readAll(InputStream in) throws IOException {
		ByteArrayOutputStream buffer = new ByteArrayOutputStream();
		in.transferTo(buffer);
		return buffer.toString(StandardCharsets.US_ASCII);
	}

	/**
	 * Stop sending new requests, as a load balancer does when it takes an instance out;
	 * requests under way complete.
	 */
	public void stopSending() {
		this.running = false;
	}

	/**
	 * Stop the clients and return what they saw.
	 * @return the result
	 * @throws InterruptedException if interrupted while waiting for the clients
	 */
	public Result stop() throws InterruptedException {
		this.running = false;
		for (Thread client : this.clients) {
			client.join(60_000);
		}
		Map<String, Long> failed = new ConcurrentHashMap<>();
		this.failures.forEach((kind, count) -> failed.put(kind, count.get()));
		return new Result(this.ok.get(), Map.copyOf(failed), List.copyOf(this.samples));
	}

	@Override
	public void close() throws InterruptedException {
		stop();
	}

	/**
	 * What the clients saw.
	 *
	 * @param ok requests answered 200 in full
	 * @param failures failed requests by kind (refused, reset, timeout, 5xx, incomplete,
	 * other)
	 * @param samples the first failure messages
	 */
	public record Result(long ok, Map<String, Long> failures, List<String> samples) {

		public long failed() {
			return this.failures.values().stream().mapToLong(Long::longValue).sum();
		}

	}

}
