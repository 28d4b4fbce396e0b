package dev.recycling.analytics.task;

import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;
import java.util.function.ToIntFunction;

import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.kagkarlsson.scheduler.task.schedule.FixedDelay;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the table of applied batch ids from growing forever: a recurring db-scheduler task
 * that deletes the ids of batches applied longer ago than the retention. db-scheduler runs
 * one execution of it at a time across every instance on the database.
 *
 * @author recycling team
 */
public final class AppliedBatchesHousekeeping {

	/**
	 * Name of the recurring task in the task table.
	 */
	public static final String NAME = "recycling-analytics-housekeeping";

	private static final Logger logger = LoggerFactory.getLogger(AppliedBatchesHousekeeping.class);

	private final RecurringTask<Void> task;

	/**
	 * Create the housekeeping.
	 * @param forgetAppliedBefore deletes the ids of batches applied before a moment,
	 * returning how many
	 * @param retention how long ids are kept
	 * @param interval how often to delete
	 * @param now the clock
	 */
	public AppliedBatchesHousekeeping(ToIntFunction<Instant> forgetAppliedBefore, Duration retention,
			Duration interval, Supplier<Instant> now) {
		this.task = Tasks.recurring(NAME, FixedDelay.of(interval)).execute((instance, context) -> {
			int deleted = forgetAppliedBefore.applyAsInt(now.get().minus(retention));
			logger.debug("Deleted the ids of {} analytics batches applied more than {} ago", deleted, retention);
		});
	}

	RecurringTask<Void> task() {
		return this.task;
	}

}
