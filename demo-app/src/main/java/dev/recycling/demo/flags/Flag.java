package dev.recycling.demo.flags;

import org.jspecify.annotations.Nullable;

/**
 * A feature flag as one environment sees it.
 *
 * @param feature the feature name
 * @param enabled whether the feature is on in the environment
 * @param value the remote-config value, if any
 */
public record Flag(String feature, boolean enabled, @Nullable String value) {

}
