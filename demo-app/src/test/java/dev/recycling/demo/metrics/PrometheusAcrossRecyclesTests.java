package dev.recycling.demo.metrics;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import dev.recycling.demo.analytics.DemoRuns;
import dev.recycling.demo.analytics.DemoRuns.Running;
import dev.recycling.restart.Recycler;
import dev.recycling.testapp.Http;
import dev.recycling.testapp.Http.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

/**
 * The demo's {@code /actuator/prometheus} after recycles: one series per meter (never one
 * per generation), counters that go on from where the last generation left them, and the
 * shutdown flush of an ended generation counted in the next one.
 */
class PrometheusAcrossRecyclesTests {

	@TempDir
	Path spill;

	@Test
	void seriesSurviveRecyclesAndCountersGoOn() throws Exception {
		// with a recycle budget, whose series the alert rules read too (an operator's recycle does not wait)
		try (Running demo = DemoRuns.runOnFreshDatabase(this.spill, "--recycling.fleet.max-concurrent-recycles=1")) {
			int[] perGeneration = { 4, 3, 2 };
			for (int generation = 1; generation <= perGeneration.length; generation++) {
				for (int i = 0; i < perGeneration[generation - 1]; i++) {
					assertThat(demo.flags()).isEqualTo(200);
				}
				int served = perGeneration[generation - 1];
				await().until(() -> demo.recycler().getStats() != null
						&& demo.recycler().getStats().requestsServed() == served);
				if (generation < perGeneration.length) {
					int next = generation + 1;
					assertThat(demo.recycler().recycle(Recycler.MANUAL)).isTrue();
					await().atMost(Duration.ofSeconds(60))
						.until(() -> demo.recycler().getGeneration() == next && !demo.recycler().isRecycling());
				}
			}

			Response scrape = Http.get(demo.port(), "/actuator/prometheus");
			assertThat(scrape.status()).isEqualTo(200);
			Map<Series, Double> series = parse(scrape.body());
			assertThat(value(series, "recycling_generation")).isEqualTo(3);
			assertThat(value(series, "recycling_requests_total")).isEqualTo(9);
			assertThat(value(series, "recycling_restarts_total", "reason", "manual")).isEqualTo(2);
			assertThat(value(series, "recycling_restart_duration_seconds_count")).isEqualTo(2);
			assertThat(value(series, "recycling_drain_duration_seconds_count")).isEqualTo(2);
			assertThat(value(series, "recycling_overlap_duration_seconds_count")).isEqualTo(2);
			assertThat(value(series, "recycling_generation_requests")).isEqualTo(2);
			assertThat(value(series, "recycling_fleet_waiting", "fleet", "demo-app")).isZero();
			assertThat(value(series, "analytics_flush_seconds_count", "trigger", "shutdown", "outcome", "enqueued"))
				.as("the shutdown flushes of generations 1 and 2")
				.isEqualTo(2);
			assertThat(value(series, "analytics_flush_entries_total")).isGreaterThanOrEqualTo(2);
			assertThat(value(series, "analytics_cache_keys", "cache", "api-usage")).as("generation 3's requests")
				.isEqualTo(1);
			assertThat(value(series, "analytics_batches_pending")).isZero();
			assertThat(value(series, "analytics_batches_spilled")).isZero();
			assertThat(value(series, "resilience4j_circuitbreaker_state", "name", "recycling-analytics-flush",
					"state", "closed"))
				.isEqualTo(1);
			assertThat(series.keySet()).as("no series per generation")
				.noneMatch((key) -> key.labels().containsKey("generation"));
			// the alert rules users load read series that exist
			Set<String> names = series.keySet().stream().map(Series::name).collect(Collectors.toSet());
			assertThat(metricsOfTheAlertRules()).isNotEmpty().allSatisfy((name) -> assertThat(names).contains(name));
		}
	}

	private static Set<String> metricsOfTheAlertRules() throws IOException {
		String rules = Files.readString(Path.of("..", "docs", "prometheus", "recycling-alerts.yml"));
		Set<String> metrics = new TreeSet<>();
		Matcher matcher = Pattern.compile("\\b(?:recycling|analytics)_[a-z_]+").matcher(rules);
		while (matcher.find()) {
			metrics.add(matcher.group());
		}
		return metrics;
	}

	// fails on a series that appears twice
	private static Map<Series, Double> parse(String exposition) {
		Map<Series, Double> series = new HashMap<>();
		for (String line : exposition.split("\n")) {
			if (line.isBlank() || line.startsWith("#")) {
				continue;
			}
			int space = line.lastIndexOf(' ');
			String key = line.substring(0, space);
			double value = Double.parseDouble(line.substring(space + 1));
			int brace = key.indexOf('{');
			Map<String, String> labels = new TreeMap<>();
			if (brace >= 0) {
				for (String pair : key.substring(brace + 1, key.length() - 1).split(",")) {
					if (!pair.isEmpty()) {
						int equals = pair.indexOf('=');
						labels.put(pair.substring(0, equals), pair.substring(equals + 2, pair.length() - 1));
					}
				}
			}
			Series parsed = new Series((brace >= 0) ? key.substring(0, brace) : key, labels);
			if (series.put(parsed, value) != null) {
				fail("Series %s appears twice", parsed);
			}
		}
		return series;
	}

	private static double value(Map<Series, Double> series, String name, String... labels) {
		Map<String, String> wanted = new TreeMap<>();
		for (int i = 0; i < labels.length; i += 2) {
			wanted.put(labels[i], labels[i + 1]);
		}
		var matching = series.entrySet()
			.stream()
			.filter((entry) -> entry.getKey().name().equals(name)
					&& entry.getKey().labels().entrySet().containsAll(wanted.entrySet()))
			.toList();
		assertThat(matching).as("series %s%s", name, wanted).hasSize(1);
		return matching.get(0).getValue();
	}

	private record Series(String name, Map<String, String> labels) {

	}

}
