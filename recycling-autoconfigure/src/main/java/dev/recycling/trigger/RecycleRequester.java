package dev.recycling.trigger;

/**
 * Receives the triggers' requests to recycle the current generation.
 *
 * @author recycling team
 */
@FunctionalInterface
public interface RecycleRequester {

	/**
	 * Ask for the current generation to be recycled.
	 * @param reason why, for example {@code max-requests}
	 * @return whether a recycle started; {@code false} if one is already under way
	 */
	boolean requestRecycle(String reason);

}
