package dev.recycling.restart;

/**
 * How a context restart replaces one generation with the next ({@code recycling.restart.strategy}).
 *
 * @author recycling team
 */
public enum RestartStrategy {

	/**
	 * Start the next generation while the current one serves; when it is ready it takes
	 * connections off the held socket and the current one closes. Readiness does not
	 * change; a next generation that fails to start leaves the current one serving.
	 */
	OVERLAP,

	/**
	 * Close the current generation (drain, hooks), then start the next; connections wait
	 * in the kernel's accept backlog meanwhile. A failed start exits the JVM with status 1.
	 */
	SEQUENTIAL

}
