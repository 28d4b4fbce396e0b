package dev.recycling.restart;

/**
 * Decides whether an automatic recycle may start now, for example because a fleet allows
 * only so many of its instances to recycle at once. A recycle it refuses does not start:
 * the generation keeps serving and its trigger asks again at the next check.
 *
 * @author recycling team
 */
public interface RecycleAdmission {

	/**
	 * Ask whether a recycle may start now.
	 * @param reason why the generation should recycle
	 * @return {@code true} to start it, {@code false} to keep serving and ask again later
	 */
	boolean admit(String reason);

	/**
	 * Called once the recycle this admission let start has ended: the next generation
	 * serves, or it failed to start and the current one serves on.
	 */
	void recycleEnded();

}
