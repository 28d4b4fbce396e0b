package dev.recycling.trigger;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;

/**
 * Runs {@link RecycleTriggers#check()} off the request path on one daemon thread, from the
 * start of the generation until its context closes, and a slower check (the memory
 * triggers) on the same thread.
 *
 * @author recycling team
 */
public final class TriggerCheckScheduler implements SmartLifecycle {

	private static final Logger logger = LoggerFactory.getLogger(TriggerCheckScheduler.class);

	private final RecycleTriggers triggers;

	private final List<Runnable> fastChecks;

	private final List<Runnable> slowChecks;

	private final Duration slowCheckInterval;

	private volatile @Nullable ScheduledExecutorService executor;

	/**
	 * Create a scheduler for the triggers of a generation.
	 * @param triggers the triggers
	 */
	public TriggerCheckScheduler(RecycleTriggers triggers) {
		this(triggers, List.of(), List.of(), Duration.ofSeconds(5));
	}

	/**
	 * Create a scheduler for the triggers of a generation, cheap checks run with them and
	 * slower checks.
	 * @param triggers the triggers
	 * @param fastChecks run after every check of the triggers (about every second), in
	 * order; they must be cheap
	 * @param slowChecks run every {@code slowCheckInterval}, in order
	 * @param slowCheckInterval the interval of the slow checks
	 */
	public TriggerCheckScheduler(RecycleTriggers triggers, List<Runnable> fastChecks, List<Runnable> slowChecks,
			Duration slowCheckInterval) {
		this.triggers = triggers;
		this.fastChecks = List.copyOf(fastChecks);
		this.slowChecks = List.copyOf(slowChecks);
		this.slowCheckInterval = slowCheckInterval;
	}

	@Override
	public void start() {
		ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor((runnable) -> {
			Thread thread = new Thread(runnable, "recycling-trigger-check");
			thread.setDaemon(true);
			return thread;
		});
		long interval = this.triggers.suggestedCheckInterval().toMillis();
		executor.scheduleWithFixedDelay(() -> {
			run(this.triggers::check);
			this.fastChecks.forEach(TriggerCheckScheduler::run);
		}, interval, interval, TimeUnit.MILLISECONDS);
		if (!this.slowChecks.isEmpty()) {
			long slowInterval = this.slowCheckInterval.toMillis();
			executor.scheduleWithFixedDelay(() -> this.slowChecks.forEach(TriggerCheckScheduler::run), slowInterval,
					slowInterval, TimeUnit.MILLISECONDS);
		}
		this.executor = executor;
	}

	private static void run(Runnable check) {
		try {
			check.run();
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
