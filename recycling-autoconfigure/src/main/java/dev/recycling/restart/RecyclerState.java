package dev.recycling.restart;

/**
 * The state of the current generation as the recycler sees it.
 *
 * @author recycling team
 */
public enum RecyclerState {

	/**
	 * Serving requests.
	 */
	SERVING,

	/**
	 * Serving, while the next generation starts next to it (overlap); it stays in rotation.
	 */
	STARTING_NEXT,

	/**
	 * Closing: no longer taking new connections, finishing the accepted ones.
	 */
	DRAINING,

	/**
	 * Between the close of one generation and the readiness of the next.
	 */
	RESTARTING

}
