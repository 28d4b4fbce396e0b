package dev.recycling.demo.flags;

import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import dev.recycling.analytics.cache.Labels;
import dev.recycling.analytics.flush.AnalyticsBacklog;
import dev.recycling.analytics.flush.AnalyticsFlusher;
import dev.recycling.analytics.store.JdbcAnalyticsStore;
import dev.recycling.analytics.store.UsageTotals;
import dev.recycling.analytics.web.UsageRecorder;
import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.dao.DataAccessException;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
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

	// the longest piece of client input an error message repeats
	private static final int MAX_ECHO = 40;

	private final FlagCatalog catalog;

	private final UsageRecorder usage;

	private final JdbcAnalyticsStore store;

	private final AnalyticsFlusher flusher;

	private final JsonMapper json;

	private final ApiProperties properties;

	AnalyticsController(FlagCatalog catalog, UsageRecorder usage, JdbcAnalyticsStore store, AnalyticsFlusher flusher,
			JsonMapper json, ApiProperties properties) {
		this.catalog = catalog;
		this.usage = usage;
		this.store = store;
		this.flusher = flusher;
		this.json = json;
		this.properties = properties;
	}

	@PostMapping("/analytics/flags")
	@ResponseStatus(HttpStatus.ACCEPTED)
	Map<String, Object> recordEvaluations(
			@RequestHeader(name = FlagsController.ENVIRONMENT_KEY_HEADER, required = false) @Nullable String environmentKey,
			HttpServletRequest request) throws IOException {
		String key = FlagsController.requireEnvironmentKey(environmentKey);
		List<Flag> flags = this.catalog.flagsOf(key).orElseThrow(EnvironmentKeyException::unknown);
		JsonNode body = parse(readBody(request));
		Map<String, Long> counts = validate(body, flags.stream().map(Flag::feature).collect(Collectors.toSet()));
		// validated as a whole first: a bad body records nothing; counted once the 202 is sent
		Labels labels = this.usage.clientLabels(request);
		counts.forEach((feature, count) -> this.usage.featureEvaluations(request, feature, key, labels, count));
		return Map.of("recorded", counts.values().stream().mapToLong(Long::longValue).sum());
	}

	@GetMapping("/usage")
	Map<String, Object> usage(@RequestParam("environment") String environmentKey) {
		this.catalog.flagsOf(environmentKey).orElseThrow(EnvironmentKeyException::unknown);
		// the backlog first: what it does not hold any more is in the totals read after it
		AnalyticsBacklog backlog = this.flusher.backlog(true);
		Long pending = backlog.unappliedBatches();
		if (pending == null) {
			throw ApiException.unavailable(String.valueOf(backlog.queueError()));
		}
		UsageTotals totals;
		try {
			totals = this.store.totals(environmentKey, this.properties.getReadTimeout());
		}
		catch (DataAccessException ex) {
			throw ApiException.unavailable(ex.getClass().getSimpleName());
		}
		Map<String, Object> usage = new LinkedHashMap<>();
		usage.put("environment", environmentKey);
		usage.put("apiRequests", totals.apiRequests());
		usage.put("featureEvaluations", totals.featureEvaluations());
		usage.put("pendingBatches", pending);
		Map<String, Object> breakdown = new LinkedHashMap<>();
		breakdown.put("countsInCaches", backlog.countsInCaches());
		breakdown.put("batchesInMemory", backlog.batchesInMemory());
		breakdown.put("batchesSpilled", backlog.batchesSpilled());
		breakdown.put("batchesQueued", backlog.batchesQueued());
		usage.put("pending", breakdown);
		return usage;
	}

	private byte[] readBody(HttpServletRequest request) throws IOException {
		long max = this.properties.getMaxBodySize().toBytes();
		if (request.getContentLengthLong() > max) {
			throw ApiException.bodyTooLarge(max);
		}
		try (InputStream in = request.getInputStream()) {
			byte[] body = in.readNBytes((int) max + 1);
			if (body.length > max) {
				throw ApiException.bodyTooLarge(max);
			}
			return body;
		}
	}

	private JsonNode parse(byte[] body) {
		try {
			return this.json.readTree(body);
		}
		catch (JacksonException ex) {
			throw new InvalidEvaluationsException("The body is not valid JSON. Send an object of feature names to "
					+ "evaluation counts, such as {\"dark-mode\": 3}.");
		}
	}

	private static Map<String, Long> validate(JsonNode body, Set<String> features) {
		if (body == null || !body.isObject()) {
			throw new InvalidEvaluationsException(
					"The body must be a JSON object of feature names to evaluation counts, such as {\"dark-mode\": 3}.");
		}
		Map<String, Long> counts = new LinkedHashMap<>();
		for (Map.Entry<String, JsonNode> entry : body.properties()) {
			String feature = entry.getKey();
			JsonNode count = entry.getValue();
			if (!features.contains(feature)) {
				throw new InvalidEvaluationsException("Unknown feature '" + echo(feature) + "' in this environment.");
			}
			if (!count.isIntegralNumber() || !count.canConvertToLong() || count.asLong() < 0
					|| count.asLong() > MAX_COUNT) {
				throw new InvalidEvaluationsException("The count of '" + feature + "' must be a whole number from 0 to "
						+ MAX_COUNT + ", not " + echo(count.toString()) + ".");
			}
			counts.put(feature, count.asLong());
		}
		return counts;
	}

	private static String echo(String input) {
		return (input.length() <= MAX_ECHO) ? input : input.substring(0, MAX_ECHO) + "... (" + input.length()
				+ " characters)";
	}

}
