package dev.recycling.trigger;

/**
 * The counters and limits of a generation, read when it ends.
 *
 * @author recycling team
 */
public interface GenerationStats {

	/**
	 * Return the completed application requests.
	 * @return the request count
	 */
	long requestsServed();

	/**
	 * Return the drawn limits.
	 * @return the limits
	 */
	GenerationLimits limits();

}
