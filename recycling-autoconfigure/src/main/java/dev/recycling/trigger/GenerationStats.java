package dev.recycling.trigger;

/**
 * The counters and limits of a generation, read when it ends.
 *
 * @author recycling team
 */
public interface GenerationStats {

	/**
	 * Return the application requests counted (on WebFlux, with the ones in flight).
	 * @return the request count
	 */
	long requestsServed();

	/**
	 * Return the drawn limits.
	 * @return the limits
	 */
	GenerationLimits limits();

}
