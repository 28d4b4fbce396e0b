package dev.recycling.trigger;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;

/**
 * Runs {@link RecycleTriggers#check()} off the request path on one daemon thread, from the
 * start of the generation until its context closes.
 *
 * @author recycling team
 */
public final class TriggerCheckScheduler implements SmartLifecycle {

	private static final Logger logger = LoggerFactory.getLogger(TriggerCheckScheduler.class);

	private final RecycleTriggers triggers;

	private volatile @Nullable ScheduledExecutorService executor;

	/**
	 * Create a scheduler for the triggers of a generation.
	 * @param triggers the triggers
	 */
	public TriggerCheckScheduler(RecycleTriggers triggers) {
		this.triggers = triggers;
	}

	@Override
	public void start() {
		ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor((runnable) -> {
			Thread thread = new Thread(runnable, "recycling-trigger-check");
			thread.setDaemon(true);
			return thread;
		});
		long interval = this.triggers.suggestedCheckInterval().toMillis();
		executor.scheduleWithFixedDelay(this::check, interval, interval, TimeUnit.MILLISECONDS);
		this.executor = executor;
	}

	private void check() {
		try {
			this.triggers.check();
		}
		catch (RuntimeException ex) {
			logger.warn("Checking the recycling triggers failed", ex);
		}
	}

	@Override
	public void stop() {
		ScheduledExecutorService executor = this.executor;
		this.executor = null;
		if (executor != null) {
			executor.shutdownNow();
		}
	}

	@Override
	public boolean isRunning() {
		return this.executor != null;
	}

}
