package dev.recycling.analytics.cache;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link Labels}.
 */
class LabelsTests {

	@Test
	void labelsAreSortedTrimmedAndBlankValuesDropped() {
		Map<String, String> raw = new LinkedHashMap<>();
		raw.put("user_agent", " curl/8 ");
		raw.put("client_application_name", "web");
		raw.put("client_application_version", "  ");
		Labels labels = Labels.of(raw);
		assertThat(labels.asMap()).containsExactly(Map.entry("client_application_name", "web"),
				Map.entry("user_agent", "curl/8"));
		assertThat(labels.toJson()).isEqualTo("{\"client_application_name\":\"web\",\"user_agent\":\"curl/8\"}");
		assertThat(labels).isEqualTo(Labels.client("web", null, "curl/8"));
	}

	@Test
	void labelsAreEqualByEveryNameAndValueWhateverObjectsHoldThem() {
		Labels labels = Labels.client("web", "1.2", "curl/8");
		assertThat(labels).isEqualTo(Labels.of(Map.of("user_agent", "curl/8", "client_application_version", "1.2",
				"client_application_name", "web")))
			.hasSameHashCodeAs(Labels.client(" web ", "1.2", "curl/8"));
		assertThat(labels).isNotEqualTo(Labels.client("web", "1.3", "curl/8"))
			.isNotEqualTo(Labels.client("web", "1.2", null))
			.isNotEqualTo(Labels.of(Map.of("client_application_name", "web", "client_application_version", "1.2",
					"agent", "curl/8")))
			.isNotEqualTo(Labels.NONE);
	}

	@Test
	void clientLabelsAreTheLabelsOfTheirMapWhateverValuesAreMissing() {
		String[] values = { null, "", "  ", " v ", "x".repeat(200) };
		for (String name : values) {
			for (String version : values) {
				for (String agent : values) {
					Map<String, String> map = new HashMap<>();
					map.put(Labels.CLIENT_APPLICATION_NAME, name);
					map.put(Labels.CLIENT_APPLICATION_VERSION, version);
					map.put(Labels.USER_AGENT, agent);
					Labels client = Labels.client(name, version, agent);
					assertThat(client).as("%s %s %s", name, version, agent)
						.isEqualTo(Labels.of(map))
						.hasSameHashCodeAs(Labels.of(map));
					assertThat(client.asMap()).isEqualTo(Labels.of(map).asMap()).hasSize(client.size());
					assertThat(client.toJson()).isEqualTo(Labels.of(map).toJson());
				}
			}
		}
	}

	@Test
	void valuesAreCappedAndSoIsTheNumberOfLabels() {
		Map<String, String> raw = new LinkedHashMap<>();
		for (int i = 0; i < 10; i++) {
			raw.put("label" + i, "x".repeat(1000));
		}
		Labels labels = Labels.of(raw);
		assertThat(labels.asMap()).hasSize(Labels.MAX_LABELS).containsOnlyKeys("label0", "label1", "label2", "label3");
		assertThat(labels.asMap().values()).allSatisfy((value) -> assertThat(value).hasSize(Labels.MAX_VALUE_LENGTH));
	}

	@Test
	void capNeverSplitsASurrogatePair() {
		String value = "a".repeat(Labels.MAX_VALUE_LENGTH - 1) + "\uD83D\uDE00";
		String capped = Labels.of(Map.of("name", value)).asMap().get("name");
		assertThat(capped).hasSize(Labels.MAX_VALUE_LENGTH - 1);
	}

	@Test
	void jsonEscapesQuotesAndControlCharacters() {
		assertThat(Labels.of(Map.of("a", "q\"b\\c\u0001")).toJson()).isEqualTo("{\"a\":\"q\\\"b\\\\c\\u0001\"}");
	}

	@Test
	void noLabelsIsTheEmptyObject() {
		assertThat(Labels.client(null, null, null)).isSameAs(Labels.NONE);
		assertThat(Labels.NONE.toJson()).isEqualTo("{}");
	}

}
