package dev.recycling.restart;

/**
 * What a recycle does once the generation has drained and its context is closed.
 *
 * @author recycling team
 */
public enum RecycleMode {

	/**
	 * Run the same {@code SpringApplication} again in the same JVM, holding the listening
	 * socket so that no connection is refused.
	 */
	CONTEXT,

	/**
	 * Exit the JVM with the configured exit code and let the supervisor (Kubernetes,
	 * systemd) start a new one. Frees what a context restart cannot: static state in
	 * libraries, native memory, loaded classes.
	 */
	EXIT

}
