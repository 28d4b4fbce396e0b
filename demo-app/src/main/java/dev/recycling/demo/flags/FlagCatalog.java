package dev.recycling.demo.flags;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The flags of each environment, keyed by environment key. A fixed list: the demo needs a
 * realistic API, not a flag store.
 */
public class FlagCatalog {

	private final Map<String, List<Flag>> flagsByEnvironmentKey = Map.of(
			"demo-production", List.of(new Flag("new-checkout", false, null), new Flag("dark-mode", true, null),
					new Flag("search-page-size", true, "20")),
			"demo-staging", List.of(new Flag("new-checkout", true, null), new Flag("dark-mode", true, null),
					new Flag("search-page-size", true, "50")));

	/**
	 * Return the flags of the environment with the given key.
	 * @param environmentKey the environment key
	 * @return the flags, or empty if no environment has that key
	 */
	public Optional<List<Flag>> flagsOf(String environmentKey) {
		return Optional.ofNullable(this.flagsByEnvironmentKey.get(environmentKey));
	}

	/**
	 * Return the keys of all environments.
	 * @return the environment keys
	 */
	public Set<String> environmentKeys() {
		return this.flagsByEnvironmentKey.keySet();
	}

}
