package dev.recycling.shutdown;

import java.time.Duration;

/**
 * What a {@link RecyclingShutdownHook} is told about the generation that ends.
 *
 * @param generation the generation number, 1 for the first context of the JVM
 * @param reason why it ends: a recycle trigger such as {@code max-requests}, or
 * {@code shutdown} for SIGTERM and a plain close
 * @param timeout how long the hook may run
 * @author recycling team
 */
public record ShutdownContext(int generation, String reason, Duration timeout) {

}
