package dev.recycling.analytics.autoconfigure;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Reads the generated {@code META-INF/spring-configuration-metadata.json} of both starter
 * modules: every {@code recycling.*} property has a description and a default (or says
 * what leaving it unset means), and the README's property table lists it.
 */
class ConfigurationMetadataTests {

	// properties that are off while unset; their description must say so
	private static final Set<String> UNSET_BY_DEFAULT = Set.of("recycling.max-lifetime",
			"recycling.max-lifetime-jitter", "recycling.drain.readiness-path", "recycling.memory.heap-after-gc-threshold",
			"recycling.memory.rss-threshold", "recycling.analytics.max-pending-memory",
			"recycling.fleet.max-concurrent-recycles", "recycling.fleet.name");

	private final JsonMapper json = JsonMapper.builder().build();

	@Test
	void everyPropertyHasADescriptionAndADefault() throws IOException {
		Map<String, JsonNode> properties = recyclingProperties();
		assertThat(properties).containsKeys("recycling.enabled", "recycling.max-requests", "recycling.drain.timeout",
				"recycling.memory.rss-threshold", "recycling.analytics.flush-interval");
		properties.forEach((name, property) -> {
			String description = text(property, "description");
			assertThat(description).as("description of %s", name).isNotBlank().endsWith(".");
			if (UNSET_BY_DEFAULT.contains(name)) {
				assertThat(property.has("defaultValue")).as("%s is unset by default", name).isFalse();
				assertThat(description).as("description of %s", name).containsAnyOf("Unset", "Defaults to");
			}
			else {
				assertThat(property.has("defaultValue")).as("default of %s", name).isTrue();
			}
		});
	}

	@Test
	void theReadmeListsEveryProperty() throws IOException {
		String readme = Files.readString(Path.of("..", "README.md"));
		assertThat(recyclingProperties().keySet()).allSatisfy(
				(name) -> assertThat(readme).as("README row for %s", name).contains("| `" + name + "` |"));
	}

	private Map<String, JsonNode> recyclingProperties() throws IOException {
		Map<String, JsonNode> properties = new TreeMap<>();
		for (URL url : Collections.list(getClass().getClassLoader()
			.getResources("META-INF/spring-configuration-metadata.json"))) {
			try (InputStream input = url.openStream()) {
				for (JsonNode property : this.json.readTree(input).get("properties")) {
					String name = text(property, "name");
					if (name.startsWith("recycling.")) {
						properties.put(name, property);
					}
				}
			}
		}
		return properties;
	}

	private static String text(JsonNode node, String field) {
		JsonNode value = node.get(field);
		return (value != null) ? value.asString() : "";
	}

}
