package dev.recycling.trigger;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * The limits of one generation, drawn once when it starts.
 *
 * @param maxRequests completed requests after which the generation recycles, or 0 for no
 * request limit
 * @param maxLifetime age after which the generation recycles, or {@code null} for no
 * lifetime limit
 * @author recycling team
 */
public record GenerationLimits(long maxRequests, @Nullable Duration maxLifetime) {

	/**
	 * No limit at all: the generation recycles only when asked to.
	 */
	public static final GenerationLimits NONE = new GenerationLimits(0, null);

	public GenerationLimits {
		if (maxRequests < 0) {
			throw new IllegalArgumentException("maxRequests must not be negative: " + maxRequests);
		}
	}

}
