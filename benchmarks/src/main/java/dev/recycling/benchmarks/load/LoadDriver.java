package dev.recycling.benchmarks.load;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import org.jspecify.annotations.Nullable;

/**
 * Sends HTTP/1.1 GET or POST requests to a loopback address from N concurrent clients, a
 * new connection per request ({@code Connection: close}) or keep-alive, for a bounded
 * duration (and at most {@code --count} requests) at an optional total rate, and reports
 * what happened: total, ok, failures by kind (refused, reset, timeout, 5xx, other), latency
 * percentiles and throughput, as one line of text and as JSON, with a per-second timeline.
 * <p>
 * It refuses any target that is not a loopback address.
 *
 * <pre>
 * java -cp benchmarks/target/classes dev.recycling.benchmarks.load.LoadDriver \
 *   --url http://127.0.0.1:8080/api/v1/flags --header 'X-Environment-Key: demo-production' \
 *   --clients 8 --duration 20s --rate 300 --json result.json
 * </pre>
 *
 * @author recycling team
 */
public final class LoadDriver {

	private static final Duration MAX_DURATION = Duration.ofMinutes(10);

	private final Options options;

	private final long startNanos = System.nanoTime();

	private final long startedAtMillis = System.currentTimeMillis();

	private final AtomicLong remaining;

	private LoadDriver(Options options) {
		this.options = options;
		this.remaining = new AtomicLong(options.count);
	}

	public static void main(String[] args) throws Exception {
		Options options = Options.parse(args);
		Report report = drive(options);
		System.out.println(report.line());
		if (options.json != null) {
			Files.writeString(options.json, report.json());
		}
		if (options.samples != null) {
			Files.writeString(options.samples, report.samplesText());
		}
	}

	static Report drive(Options options) throws InterruptedException {
		return new LoadDriver(options).run();
	}

	private Report run() throws InterruptedException {
		List<Client> clients = new ArrayList<>();
		for (int i = 0; i < this.options.clients; i++) {
			clients.add(new Client(i));
		}
		clients.forEach(Thread::start);
		for (Client client : clients) {
			client.join();
		}
		return Report.of(clients, this.options.duration, this.startedAtMillis,
				Duration.ofNanos(System.nanoTime() - this.startNanos));
	}

	private final class Client extends Thread {

		private final List<Sample> samples = new ArrayList<>();

		private boolean serverCloses;

		private final long intervalNanos;

		private final long offsetNanos;

		Client(int index) {
			super("load-client-" + index);
			Options options = LoadDriver.this.options;
			this.intervalNanos = (options.rate > 0) ? (long) (1e9 * options.clients / options.rate) : 0;
			this.offsetNanos = (this.intervalNanos > 0) ? this.intervalNanos * index / options.clients : 0;
		}

		@Override
		public void run() {
			long end = LoadDriver.this.startNanos + LoadDriver.this.options.duration.toNanos();
			long next = LoadDriver.this.startNanos + this.offsetNanos;
			Socket keptAlive = null;
			while (System.nanoTime() - end < 0 && LoadDriver.this.remaining.getAndDecrement() > 0) {
				if (this.intervalNanos > 0) {
					long wait = next - System.nanoTime();
					if (wait > 0) {
						LockSupport.parkNanos(wait);
					}
					next += this.intervalNanos;
				}
				long start = System.nanoTime();
				String outcome;
				try {
					if (LoadDriver.this.options.keepAlive) {
						if (keptAlive == null) {
							keptAlive = connect();
						}
						outcome = exchange(keptAlive, false);
						if (!"ok".equals(outcome) || this.serverCloses) {
							keptAlive = close(keptAlive);
						}
					}
					else {
						try (Socket socket = connect()) {
							outcome = exchange(socket, true);
						}
					}
				}
				catch (ConnectException ex) {
					outcome = "refused";
				}
				catch (SocketTimeoutException ex) {
					outcome = "timeout";
				}
				catch (SocketException ex) {
					outcome = String.valueOf(ex.getMessage()).contains("reset") ? "reset" : "other";
				}
				catch (IOException | RuntimeException ex) {
					outcome = "other";
				}
				if (!"ok".equals(outcome) && keptAlive != null) {
					keptAlive = close(keptAlive);
				}
				this.samples.add(new Sample(start - LoadDriver.this.startNanos, System.nanoTime() - start, outcome));
			}
		}

		// always null, to assign
		private @Nullable Socket close(Socket socket) {
			try {
				socket.close();
			}
			catch (IOException ex) {
				// closed anyway
			}
			return null;
		}

		private Socket connect() throws IOException {
			URI url = LoadDriver.this.options.url;
			Socket socket = new Socket();
			socket.connect(new InetSocketAddress(url.getHost(), url.getPort()), 5_000);
			socket.setSoTimeout(10_000);
			return socket;
		}

		private String exchange(Socket socket, boolean close) throws IOException {
			URI url = LoadDriver.this.options.url;
			Options options = LoadDriver.this.options;
			StringBuilder request = new StringBuilder().append(options.method)
				.append(' ')
				.append(url.getRawPath().isEmpty() ? "/" : url.getRawPath())
				.append((url.getRawQuery() != null) ? "?" + url.getRawQuery() : "")
				.append(" HTTP/1.1\r\nHost: ").append(url.getHost()).append("\r\n");
			if (close) {
				request.append("Connection: close\r\n");
			}
			for (String header : options.headers) {
				request.append(header).append("\r\n");
			}
			byte[] body = (options.body != null) ? options.body.getBytes(StandardCharsets.UTF_8) : new byte[0];
			if (options.body != null) {
				request.append("Content-Type: application/json\r\nContent-Length: ").append(body.length).append("\r\n");
			}
			OutputStream out = socket.getOutputStream();
			out.write(request.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
			out.write(body);
			out.flush();
			Response response = readResponse(socket.getInputStream(), close);
			this.serverCloses = response.closes();
			int status = response.status();
			if (status >= 500) {
				return "5xx";
			}
			return (status >= 200 && status < 400) ? "ok" : "other";
		}

	}

	/**
	 * Reads one response: the status line, the headers and a body framed by
	 * {@code Content-Length}, chunks or the end of the connection.
	 */
	static Response readResponse(InputStream in, boolean untilClose) throws IOException {
		String statusLine = readLine(in);
		if (statusLine == null || !statusLine.startsWith("HTTP/1.")) {
			throw new IOException("incomplete response");
		}
		int status = Integer.parseInt(statusLine.substring(9, 12));
		long length = -1;
		boolean chunked = false;
		boolean closes = false;
		String line;
		while ((line = readLine(in)) != null && !line.isEmpty()) {
			String lower = line.toLowerCase(Locale.ROOT);
			if (lower.startsWith("content-length:")) {
				length = Long.parseLong(lower.substring(15).trim());
			}
			else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
				chunked = true;
			}
			else if (lower.startsWith("connection:") && lower.contains("close")) {
				closes = true;
			}
		}
		if (line == null) {
			throw new IOException("incomplete response");
		}
		if (chunked) {
			long size;
			do {
				String sizeLine = readLine(in);
				if (sizeLine == null) {
					throw new IOException("incomplete response");
				}
				size = Long.parseLong(sizeLine.split(";")[0].trim(), 16);
				skip(in, size);
				readLine(in);
			}
			while (size > 0);
		}
		else if (length >= 0) {
			skip(in, length);
		}
		else if (untilClose) {
			in.transferTo(OutputStream.nullOutputStream());
		}
		return new Response(status, closes);
	}

	/**
	 * A response's status, and whether the server closes the connection after it.
	 */
	record Response(int status, boolean closes) {
	}

	private static void skip(InputStream in, long bytes) throws IOException {
		// throws EOFException when the body is cut short
		in.skipNBytes(bytes);
	}

	private static @Nullable String readLine(InputStream in) throws IOException {
		StringBuilder line = new StringBuilder();
		int b;
		while ((b = in.read()) != -1) {
			if (b == '\n') {
				int last = line.length() - 1;
				return (last >= 0 && line.charAt(last) == '\r') ? line.substring(0, last) : line.toString();
			}
			line.append((char) b);
		}
		return (line.length() > 0) ? line.toString() : null;
	}

	record Sample(long startNanos, long latencyNanos, String outcome) {
	}

	// a request slower than this counts as stalled (the recycle-under-load comparison)
	static final long SLOW_NANOS = Duration.ofMillis(250).toNanos();

	record Report(long total, long ok, Map<String, Long> failures, double p50Millis, double p99Millis,
			double p999Millis, double maxMillis, long slow, long startedAtMillis, double seconds,
			List<long[]> timeline, List<Sample> samples) {

		static Report of(List<? extends Thread> clients, Duration duration, long startedAtMillis, Duration elapsed) {
			List<Sample> samples = new ArrayList<>();
			for (Thread client : clients) {
				samples.addAll(((LoadDriver.Client) client).samples);
			}
			Map<String, Long> failures = new LinkedHashMap<>();
			for (String kind : List.of("refused", "reset", "timeout", "5xx", "other")) {
				failures.put(kind, samples.stream().filter((sample) -> sample.outcome().equals(kind)).count());
			}
			long[] latencies = samples.stream().mapToLong(Sample::latencyNanos).sorted().toArray();
			int seconds = (int) Math.max(1, duration.toSeconds() + 1);
			List<long[]> timeline = new ArrayList<>();
			for (int second = 0; second < seconds; second++) {
				long from = Duration.ofSeconds(second).toNanos();
				long to = Duration.ofSeconds(second + 1).toNanos();
				List<Sample> inSecond = samples.stream()
					.filter((sample) -> sample.startNanos() >= from && sample.startNanos() < to)
					.toList();
				long[] secondLatencies = inSecond.stream().mapToLong(Sample::latencyNanos).sorted().toArray();
				timeline.add(new long[] { second, inSecond.size(),
						inSecond.stream().filter((sample) -> !sample.outcome().equals("ok")).count(),
						percentile(secondLatencies, 0.99) / 1000, max(secondLatencies) / 1000,
						slow(secondLatencies), percentile(secondLatencies, 0.999) / 1000 });
			}
			return new Report(samples.size(), samples.stream().filter((sample) -> sample.outcome().equals("ok")).count(),
					failures,
					percentile(latencies, 0.50) / 1e6, percentile(latencies, 0.99) / 1e6,
					percentile(latencies, 0.999) / 1e6, max(latencies) / 1e6, slow(latencies), startedAtMillis,
					elapsed.toNanos() / 1e9, timeline, samples);
		}

		private static long percentile(long[] sorted, double quantile) {
			return (sorted.length == 0) ? 0 : sorted[(int) Math.min(sorted.length - 1, Math.ceil(quantile * sorted.length) - 1)];
		}

		private static long slow(long[] latencies) {
			return Arrays.stream(latencies).filter((latency) -> latency > SLOW_NANOS).count();
		}

		private static long max(long[] sorted) {
			return (sorted.length == 0) ? 0 : sorted[sorted.length - 1];
		}

		long failed() {
			return this.failures.values().stream().mapToLong(Long::longValue).sum();
		}

		double throughput() {
			return (this.seconds > 0) ? this.ok / this.seconds : 0;
		}

		String line() {
			return String.format(Locale.ROOT,
					"total=%d ok=%d failed=%d %s p50=%.2fms p99=%.2fms p99.9=%.2fms max=%.2fms >250ms=%d "
							+ "throughput=%.1f/s in %.1fs", this.total, this.ok, failed(), this.failures, this.p50Millis,
					this.p99Millis, this.p999Millis, this.maxMillis, this.slow, throughput(), this.seconds);
		}

		// one line per request: start (ms since the load started), latency (us), outcome
		String samplesText() {
			StringBuilder text = new StringBuilder();
			for (Sample sample : this.samples) {
				text.append(sample.startNanos() / 1_000_000).append(' ').append(sample.latencyNanos() / 1000).append(' ')
					.append(sample.outcome()).append('\n');
			}
			return text.toString();
		}

		String json() {
			StringBuilder json = new StringBuilder("{\n");
			json.append("  \"total\": ").append(this.total).append(",\n");
			json.append("  \"ok\": ").append(this.ok).append(",\n");
			json.append("  \"failed\": ").append(failed()).append(",\n");
			json.append("  \"failures\": {");
			json.append(String.join(", ", this.failures.entrySet()
				.stream()
				.map((entry) -> "\"" + entry.getKey() + "\": " + entry.getValue())
				.toList()));
			json.append("},\n");
			json.append(String.format(Locale.ROOT,
					"  \"latencyMillis\": {\"p50\": %.3f, \"p99\": %.3f, \"p999\": %.3f, \"max\": %.3f},%n",
					this.p50Millis, this.p99Millis, this.p999Millis, this.maxMillis));
			json.append("  \"slowerThan250ms\": ").append(this.slow).append(",\n");
			json.append(String.format(Locale.ROOT,
					"  \"startedAtEpochMillis\": %d,%n  \"seconds\": %.3f,%n  \"throughputPerSecond\": %.1f,%n",
					this.startedAtMillis, this.seconds, throughput()));
			json.append("  \"timeline\": [\n");
			json.append(String.join(",\n", this.timeline.stream()
				.map((row) -> String.format(Locale.ROOT,
						"    {\"second\": %d, \"requests\": %d, \"failed\": %d, \"p99Micros\": %d, \"maxMicros\": %d, "
								+ "\"slow\": %d, \"p999Micros\": %d}",
						row[0], row[1], row[2], row[3], row[4], row[5], row[6]))
				.toList()));
			json.append("\n  ]\n}\n");
			return json.toString();
		}

	}

	static final class Options {

		URI url = URI.create("http://127.0.0.1:8080/");

		int clients = 8;

		Duration duration = Duration.ofSeconds(20);

		double rate;

		boolean keepAlive;

		long count = Long.MAX_VALUE;

		String method = "GET";

		@Nullable String body;

		List<String> headers = new ArrayList<>();

		@Nullable Path json;

		@Nullable Path samples;

		static Options parse(String[] args) throws IOException {
			Options options = new Options();
			for (int i = 0; i < args.length; i++) {
				String value = (i + 1 < args.length) ? args[i + 1] : "";
				switch (args[i]) {
					case "--url" -> options.url = URI.create(value);
					case "--clients" -> options.clients = Integer.parseInt(value);
					case "--duration" -> options.duration = Duration.parse("PT" + value.toUpperCase(Locale.ROOT));
					case "--rate" -> options.rate = Double.parseDouble(value);
					case "--header" -> options.headers.add(value);
					case "--json" -> options.json = Path.of(value);
					case "--samples" -> options.samples = Path.of(value);
					case "--count" -> options.count = Long.parseLong(value);
					case "--method" -> options.method = value.toUpperCase(Locale.ROOT);
					case "--body" -> options.body = value;
					case "--keep-alive" -> {
						options.keepAlive = true;
						i--;
					}
					default -> throw new IllegalArgumentException("Unknown option " + args[i] + "; options: --url "
							+ "--clients --duration --count --rate --method --body --header --json --samples --keep-alive");
				}
				i++;
			}
			if (!InetAddress.getByName(options.url.getHost()).isLoopbackAddress()) {
				throw new IllegalArgumentException("Refusing to load " + options.url.getHost()
						+ ": the load driver only targets loopback addresses (127.0.0.0/8, ::1)");
			}
			if (options.clients < 1 || options.clients > 512) {
				throw new IllegalArgumentException("--clients must be between 1 and 512: " + options.clients);
			}
			if (options.duration.isNegative() || options.duration.isZero()
					|| options.duration.compareTo(MAX_DURATION) > 0) {
				throw new IllegalArgumentException("--duration must be positive and at most 10m: " + options.duration);
			}
			if (options.count < 1) {
				throw new IllegalArgumentException("--count must be positive: " + options.count);
			}
			if (!options.method.equals("GET") && !options.method.equals("POST")) {
				throw new IllegalArgumentException("--method must be GET or POST: " + options.method);
			}
			if (options.body != null && !options.method.equals("POST")) {
				throw new IllegalArgumentException("--body needs --method POST");
			}
			if (options.url.getPort() < 0) {
				throw new IllegalArgumentException("--url needs an explicit port: " + options.url);
			}
			return options;
		}

	}

}
