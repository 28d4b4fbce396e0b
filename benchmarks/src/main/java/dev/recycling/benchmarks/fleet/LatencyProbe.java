package dev.recycling.benchmarks.fleet;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Time from a count being recorded to being applied, through a fleet: every
 * {@code --interval} it reports one evaluation of {@code dark-mode} in an environment no
 * other client uses, and it reads the usage API of that environment (applied totals only)
 * every 50 ms. The n-th report is applied when the total reaches n more than at the start;
 * its latency is from the report's 202 to the first read that shows it (up to 50 ms late).
 * <p>
 * Usage: {@code LatencyProbe --url http://127.0.0.1:PORT --environment demo-production
 * --interval 500ms --duration 120s --json FILE}. Loopback only, bounded by the duration
 * and a final wait of at most two minutes for the last reports.
 */
public final class LatencyProbe {

	private static final Pattern DARK_MODE = Pattern.compile("\"featureEvaluations\"\\s*:\\s*\\{[^}]*\"dark-mode\"\\s*:\\s*(\\d+)");

	private static final Duration POLL = Duration.ofMillis(50);

	private static final Duration FINAL_WAIT = Duration.ofMinutes(2);

	private LatencyProbe() {
	}

	public static void main(String[] args) throws Exception {
		URI base = null;
		String environment = "demo-production";
		Duration interval = Duration.ofMillis(500);
		Duration duration = Duration.ofSeconds(60);
		Path json = null;
		for (int i = 0; i < args.length; i++) {
			switch (args[i]) {
				case "--url" -> base = URI.create(args[++i]);
				case "--environment" -> environment = args[++i];
				case "--interval" -> interval = duration(args[++i]);
				case "--duration" -> duration = duration(args[++i]);
				case "--json" -> json = Path.of(args[++i]);
				default -> throw new IllegalArgumentException("Unknown option " + args[i]
						+ "; use --url, --environment, --interval, --duration, --json");
			}
		}
		if (base == null || !"127.0.0.1".equals(base.getHost())) {
			throw new IllegalArgumentException("--url must be a loopback address (http://127.0.0.1:PORT)");
		}
		HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
		long baseline = applied(client, base, environment);
		List<Long> sentAt = new ArrayList<>();
		List<Long> latencies = new ArrayList<>();
		int failedReports = 0;
		long start = System.nanoTime();
		long end = start + duration.toNanos();
		long nextReport = start;
		long lastSeen = baseline;
		while (true) {
			long now = System.nanoTime();
			if (now < end && now >= nextReport) {
				if (report(client, base, environment)) {
					sentAt.add(System.nanoTime());
				}
				else {
					failedReports++;
				}
				nextReport += interval.toNanos();
			}
			long total;
			try {
				total = applied(client, base, environment);
			}
			catch (IOException ex) {
				total = lastSeen;
			}
			long seenAt = System.nanoTime();
			for (long n = lastSeen - baseline; n < total - baseline && n < sentAt.size(); n++) {
				latencies.add(seenAt - sentAt.get((int) n));
			}
			lastSeen = Math.max(lastSeen, total);
			boolean allSeen = latencies.size() >= sentAt.size();
			if (seenAt >= end && (allSeen || seenAt >= end + FINAL_WAIT.toNanos())) {
				break;
			}
			Thread.sleep(POLL.toMillis());
		}
		List<Long> sorted = latencies.stream().sorted().toList();
		String line = String.format(Locale.ROOT,
				"record to apply: %d reports, %d applied, %d not seen, %d failed; median %d ms, p99 %d ms, max %d ms",
				sentAt.size(), latencies.size(), sentAt.size() - latencies.size(), failedReports,
				millis(percentile(sorted, 0.5)), millis(percentile(sorted, 0.99)), millis(percentile(sorted, 1.0)));
		System.out.println(line);
		if (json != null) {
			Files.writeString(json, String.format(Locale.ROOT,
					"{\"reports\": %d, \"applied\": %d, \"notSeen\": %d, \"failedReports\": %d, \"medianMillis\": %d, "
							+ "\"p99Millis\": %d, \"maxMillis\": %d}%n",
					sentAt.size(), latencies.size(), sentAt.size() - latencies.size(), failedReports,
					millis(percentile(sorted, 0.5)), millis(percentile(sorted, 0.99)), millis(percentile(sorted, 1.0))));
		}
	}

	// 500ms, 2s, 3m
	private static Duration duration(String text) {
		if (text.endsWith("ms")) {
			return Duration.ofMillis(Long.parseLong(text.substring(0, text.length() - 2)));
		}
		return Duration.parse("PT" + text.toUpperCase(Locale.ROOT));
	}

	private static boolean report(HttpClient client, URI base, String environment) throws InterruptedException {
		HttpRequest request = HttpRequest.newBuilder(base.resolve("/api/v1/analytics/flags"))
			.timeout(Duration.ofSeconds(5))
			.header("X-Environment-Key", environment)
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString("{\"dark-mode\": 1}"))
			.build();
		try {
			return client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 202;
		}
		catch (IOException ex) {
			return false;
		}
	}

	private static long applied(HttpClient client, URI base, String environment)
			throws IOException, InterruptedException {
		HttpRequest request = HttpRequest.newBuilder(base.resolve("/api/v1/usage?environment=" + environment))
			.timeout(Duration.ofSeconds(5))
			.build();
		HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
		if (response.statusCode() != 200) {
			throw new IOException("usage answered " + response.statusCode());
		}
		Matcher matcher = DARK_MODE.matcher(response.body());
		return matcher.find() ? Long.parseLong(matcher.group(1)) : 0;
	}

	private static long percentile(List<Long> sorted, double fraction) {
		if (sorted.isEmpty()) {
			return 0;
		}
		int index = (int) Math.ceil(fraction * sorted.size()) - 1;
		return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
	}

	private static long millis(long nanos) {
		return nanos / 1_000_000;
	}

}
