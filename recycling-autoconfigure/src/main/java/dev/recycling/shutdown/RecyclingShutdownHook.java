package dev.recycling.shutdown;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * Work that must run once when a generation ends: after the web server has stopped taking
 * requests and every in-flight request has finished, and before the {@code DataSource}
 * and the other beans are destroyed. It runs on recycle, on SIGTERM and on a plain
 * {@code context.close()}.
 * <p>
 * Declare hooks as beans; they run one after another in {@code @Order}/{@code Ordered}
 * order. Each runs within its {@link #timeout()}: a hook that throws or overruns is logged
 * and the next one runs anyway.
 *
 * @author recycling team
 */
@FunctionalInterface
public interface RecyclingShutdownHook {

	/**
	 * Do the work. The thread is interrupted when the timeout elapses.
	 * @param context the generation that ends and why
	 * @throws Exception on failure; logged, and the chain goes on
	 */
	void run(ShutdownContext context) throws Exception;

	/**
	 * Return the name used in logs and reports.
	 * @return the name, the simple class name by default
	 */
	default String name() {
		return getClass().getSimpleName();
	}

	/**
	 * Return how long this hook may run.
	 * @return the timeout, or {@code null} for {@code recycling.shutdown.hook-timeout}
	 */
	default @Nullable Duration timeout() {
		return null;
	}

}
