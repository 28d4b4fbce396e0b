package dev.recycling.analytics.flush;

import java.time.Duration;

import dev.recycling.shutdown.RecyclingShutdownHook;
import dev.recycling.shutdown.ShutdownContext;

import org.springframework.core.Ordered;

/**
 * The analytics link of the shutdown hook chain: flushes both caches as one durable task
 * when the generation ends, and spills them if that fails. It runs late in the chain
 * ({@link #ORDER}), so hooks of the application that record counts run before it.
 *
 * @author recycling team
 */
public final class AnalyticsShutdownHook implements RecyclingShutdownHook, Ordered {

	/**
	 * The order of this hook in the chain.
	 */
	public static final int ORDER = Ordered.LOWEST_PRECEDENCE - 1000;

	private final AnalyticsFlusher flusher;

	private final Duration timeout;

	/**
	 * Create the hook.
	 * @param flusher the flusher
	 * @param timeout the time the flush may take, spilling included
	 */
	public AnalyticsShutdownHook(AnalyticsFlusher flusher, Duration timeout) {
		this.flusher = flusher;
		this.timeout = timeout;
	}

	@Override
	public void run(ShutdownContext context) {
		this.flusher.flushAtShutdown(context.timeout());
	}

	@Override
	public String name() {
		return "analytics-flush";
	}

	@Override
	public Duration timeout() {
		return this.timeout;
	}

	@Override
	public int getOrder() {
		return ORDER;
	}

}
