package dev.recycling.trigger;

import java.time.Duration;
import java.util.random.RandomGenerator;

import org.jspecify.annotations.Nullable;

/**
 * Draws the limits of a generation the way gunicorn does: {@code limit + uniform[0, jitter]},
 * both ends inclusive, once per generation, so that instances started together do not
 * recycle together.
 *
 * @author recycling team
 */
public final class LimitDrawer {

	private final RandomGenerator random;

	/**
	 * Create a drawer using the given source of randomness.
	 * @param random the source of randomness
	 */
	public LimitDrawer(RandomGenerator random) {
		this.random = random;
	}

	/**
	 * Draw the limits of a new generation.
	 * @param maxRequests the request limit, 0 for none
	 * @param maxRequestsJitter the request jitter, 0 for none
	 * @param maxLifetime the lifetime limit, {@code null} for none
	 * @param maxLifetimeJitter the lifetime jitter, {@code null} for none
	 * @return the drawn limits
	 */
	public GenerationLimits draw(long maxRequests, long maxRequestsJitter, @Nullable Duration maxLifetime,
			@Nullable Duration maxLifetimeJitter) {
		long requests = (maxRequests > 0) ? maxRequests + uniform(maxRequestsJitter) : 0;
		Duration lifetime = (maxLifetime != null) ? maxLifetime.plusMillis(uniform(millis(maxLifetimeJitter)))
				: null;
		return new GenerationLimits(requests, lifetime);
	}

	private long uniform(long inclusiveBound) {
		return (inclusiveBound > 0) ? this.random.nextLong(inclusiveBound + 1) : 0;
	}

	private static long millis(@Nullable Duration duration) {
		return (duration != null) ? duration.toMillis() : 0;
	}

}
