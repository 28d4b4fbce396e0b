package dev.recycling.demo.flags;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import dev.recycling.analytics.cache.FeatureEvaluationCache;
import dev.recycling.analytics.cache.Labels;
import dev.recycling.analytics.store.JdbcAnalyticsStore;
import dev.recycling.analytics.store.UsageTotals;
import dev.recycling.analytics.task.BatchQueue;
import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * The analytics API: clients report feature evaluations
 * ({@code POST /api/v1/analytics/flags}) and read the persisted totals of an environment
 * ({@code GET /api/v1/usage?environment=KEY}). Absent when the starter or its analytics are
 * switched off ({@code recycling.enabled=false}, the baseline of the overhead benchmark).
 */
@RestController
@ConditionalOnBooleanProperty(name = "recycling.enabled", matchIfMissing = true)
@ConditionalOnBooleanProperty(name = "recycling.analytics.enabled", matchIfMissing = true)
@RequestMapping("/api/v1")
class AnalyticsController {

	/**
	 * Most evaluations of one feature in one report: more is a client bug, not usage.
	 */
	static final long MAX_COUNT = 1_000_000;

	private final FlagCatalog catalog;

	private final FeatureEvaluationCache evaluations;

	private final JdbcAnalyticsStore store;

	private final BatchQueue queue;

	AnalyticsController(FlagCatalog catalog, FeatureEvaluationCache evaluations, JdbcAnalyticsStore store,
			BatchQueue queue) {
		this.catalog = catalog;
		this.evaluations = evaluations;
		this.store = store;
		this.queue = queue;
	}

	@PostMapping("/analytics/flags")
	@ResponseStatus(HttpStatus.ACCEPTED)
	Map<String, Object> recordEvaluations(
			@RequestHeader(name = FlagsController.ENVIRONMENT_KEY_HEADER, required = false) @Nullable String environmentKey,
			@RequestBody JsonNode body, HttpServletRequest request) {
		String key = FlagsController.requireEnvironmentKey(environmentKey);
		List<Flag> flags = this.catalog.flagsOf(key).orElseThrow(EnvironmentKeyException::unknown);
		Map<String, Long> counts = validate(body, flags.stream().map(Flag::feature).collect(Collectors.toSet()));
		// validated as a whole first: a bad body records nothing
		Labels labels = FlagsController.labels(request);
		counts.forEach((feature, count) -> this.evaluations.record(feature, key, labels, count));
		return Map.of("recorded", counts.values().stream().mapToLong(Long::longValue).sum());
	}

	@GetMapping("/usage")
	Map<String, Object> usage(@RequestParam("environment") String environmentKey) {
		this.catalog.flagsOf(environmentKey).orElseThrow(EnvironmentKeyException::unknown);
		UsageTotals totals = this.store.totals(environmentKey);
		Map<String, Object> usage = new LinkedHashMap<>();
		usage.put("environment", environmentKey);
		usage.put("apiRequests", totals.apiRequests());
		usage.put("featureEvaluations", totals.featureEvaluations());
		usage.put("pendingBatches", this.queue.pendingBatches());
		return usage;
	}

	private static Map<String, Long> validate(JsonNode body, Set<String> features) {
		if (!body.isObject()) {
			throw new InvalidEvaluationsException(
					"The body must be a JSON object of feature names to evaluation counts, such as {\"dark-mode\": 3}.");
		}
		Map<String, Long> counts = new LinkedHashMap<>();
		for (Map.Entry<String, JsonNode> entry : body.properties()) {
			String feature = entry.getKey();
			JsonNode count = entry.getValue();
			if (!features.contains(feature)) {
				throw new InvalidEvaluationsException("Unknown feature '" + feature + "' in this environment.");
			}
			if (!count.isIntegralNumber() || !count.canConvertToLong() || count.asLong() < 0
					|| count.asLong() > MAX_COUNT) {
				throw new InvalidEvaluationsException("The count of '" + feature
						+ "' must be a whole number from 0 to " + MAX_COUNT + ", not " + count + ".");
			}
			counts.put(feature, count.asLong());
		}
		return counts;
	}

}
