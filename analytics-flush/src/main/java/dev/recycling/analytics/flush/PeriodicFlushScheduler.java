package dev.recycling.analytics.flush;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.recycling.shutdown.ShutdownHookChain;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;

/**
 * Runs the periodic flush, and early flushes when a cache is full, on one background thread
 * (never inside a request), and the {@link MinuteRoller} on another. At start it first
 * replays the spill directory.
 * <p>
 * It stops just before the shutdown hook chain runs, after the web server has stopped, so
 * early flushes keep the caches bounded while the last requests drain.
 *
 * @author recycling team
 */
public final class PeriodicFlushScheduler implements SmartLifecycle {

	private static final Logger logger = LoggerFactory.getLogger(PeriodicFlushScheduler.class);

	private final AnalyticsFlusher flusher;

	private final Duration interval;

	private final EarlyFlushSignal earlyFlushSignal;

	private final AtomicBoolean earlyFlushQueued = new AtomicBoolean();

	private volatile @Nullable ScheduledExecutorService executor;

	private final MinuteRoller minuteRoller;

	private final BooleanSupplier autoStartup;

	/**
	 * Create a scheduler that starts with its context only when a condition holds then.
	 * @param flusher the flusher
	 * @param interval the time between periodic flushes
	 * @param earlyFlushSignal connected to this scheduler while it runs
	 * @param minuteRoller started and stopped with the periodic flush
	 * @param autoStartup whether to start with the context, asked as it starts
	 */
	public PeriodicFlushScheduler(AnalyticsFlusher flusher, Duration interval, EarlyFlushSignal earlyFlushSignal,
			MinuteRoller minuteRoller, BooleanSupplier autoStartup) {
		this.autoStartup = autoStartup;
		this.flusher = flusher;
		this.interval = interval;
		this.earlyFlushSignal = earlyFlushSignal;
		this.minuteRoller = minuteRoller;
	}

	@Override
	public void start() {
		this.minuteRoller.start();
		ScheduledExecutorService executor = singleDaemonThread("recycling-analytics-flush");
		this.executor = executor;
		executor.execute(this::replay);
		long millis = this.interval.toMillis();
		executor.scheduleWithFixedDelay(() -> flush(FlushTrigger.PERIODIC), millis, millis, TimeUnit.MILLISECONDS);
		this.earlyFlushSignal.connect(this::requestEarlyFlush);
	}

	/**
	 * Ask for a flush soon, on the flush thread. Never blocks; requests made while one is
	 * queued are merged into it.
	 */
	public void requestEarlyFlush() {
		ScheduledExecutorService executor = this.executor;
		if (executor != null && this.earlyFlushQueued.compareAndSet(false, true)) {
			try {
				executor.execute(() -> {
					this.earlyFlushQueued.set(false);
					flush(FlushTrigger.OVERFLOW);
				});
			}
			catch (RuntimeException ex) {
				// stopped meanwhile: the shutdown flush takes the counts
				this.earlyFlushQueued.set(false);
			}
		}
	}

	private void replay() {
		try {
			this.flusher.replaySpilled();
		}
		catch (RuntimeException ex) {
			logger.warn("Replaying spilled analytics batches failed; trying again after the next flush", ex);
		}
	}

	private void flush(FlushTrigger trigger) {
		try {
			this.flusher.flush(trigger);
		}
		catch (RuntimeException ex) {
			logger.warn("Analytics flush ({}) failed; the counts stay for the next one", trigger.tag(), ex);
		}
	}

	static ScheduledExecutorService singleDaemonThread(String name) {
		return Executors.newSingleThreadScheduledExecutor((runnable) -> {
			Thread thread = new Thread(runnable, name);
			thread.setDaemon(true);
			return thread;
		});
	}

	@Override
	public void stop() {
		this.minuteRoller.stop();
		this.earlyFlushSignal.connect(null);
		ScheduledExecutorService executor = this.executor;
		this.executor = null;
		if (executor != null) {
			executor.shutdownNow();
			try {
				if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
					logger.warn("The periodic analytics flush did not stop within 5 s; the shutdown flush goes on");
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
	}

	@Override
	public boolean isRunning() {
		return this.executor != null;
	}

	@Override
	public boolean isAutoStartup() {
		return this.autoStartup.getAsBoolean();
	}

	@Override
	public int getPhase() {
		return ShutdownHookChain.PHASE + 1;
	}

}
