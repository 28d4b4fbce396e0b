package dev.recycling.analytics.flush;

import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts a new minute bucket in the usage caches when the wall clock's minute changes, on a
 * background thread of its own (not the flush's, which a slow database may hold), so that
 * recording a count never reads the clock.
 * <p>
 * It wakes just after each minute starts (or again a few milliseconds later if the scheduler
 * woke before the wall clock got there). Counts recorded between the change and the wake,
 * usually a millisecond or two, go to the minute before. The {@link PeriodicFlushScheduler}
 * starts and stops it with the periodic flush.
 *
 * @author recycling team
 * @see dev.recycling.analytics.cache.UsageCounter#roll()
 */
public final class MinuteRoller {

	private static final Logger logger = LoggerFactory.getLogger(MinuteRoller.class);

	private static final long MILLIS_PER_MINUTE = TimeUnit.MINUTES.toMillis(1);

	private final LongSupplier clock;

	private final List<Runnable> rolls;

	private volatile @Nullable ScheduledExecutorService executor;

	/**
	 * Create a roller.
	 * @param clock the wall clock in epoch milliseconds, the one the caches bucket by
	 * @param rolls what starts a new minute in each cache, such as
	 * {@link dev.recycling.analytics.cache.ApiUsageCache#roll()}
	 */
	public MinuteRoller(LongSupplier clock, List<Runnable> rolls) {
		this.clock = clock;
		this.rolls = List.copyOf(rolls);
	}

	/**
	 * Start rolling at each minute's change, on thread {@code recycling-analytics-minute}.
	 */
	public void start() {
		ScheduledExecutorService executor = PeriodicFlushScheduler.singleDaemonThread("recycling-analytics-minute");
		this.executor = executor;
		scheduleNext(executor);
	}

	private void scheduleNext(ScheduledExecutorService executor) {
		long untilNextMinute = MILLIS_PER_MINUTE - Math.floorMod(this.clock.getAsLong(), MILLIS_PER_MINUTE);
		try {
			executor.schedule(() -> roll(executor), untilNextMinute, TimeUnit.MILLISECONDS);
		}
		catch (RuntimeException ex) {
			// stopped meanwhile
		}
	}

	private void roll(ScheduledExecutorService executor) {
		for (Runnable roll : this.rolls) {
			try {
				roll.run();
			}
			catch (RuntimeException ex) {
				logger.warn("Starting a new minute in an analytics cache failed; its counts stay in the minute before",
						ex);
			}
		}
		scheduleNext(executor);
	}

	/**
	 * Stop rolling; returns once the thread has ended (at most a second).
	 */
	public void stop() {
		ScheduledExecutorService executor = this.executor;
		this.executor = null;
		if (executor != null) {
			executor.shutdownNow();
			try {
				executor.awaitTermination(1, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
	}

}
