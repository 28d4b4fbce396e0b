package dev.recycling.analytics.task;

import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import javax.sql.DataSource;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import dev.recycling.shutdown.ShutdownHookChain;
import org.jspecify.annotations.Nullable;

import org.springframework.context.SmartLifecycle;

/**
 * Runs the batch tasks of every instance on this one: a db-scheduler {@link Scheduler} on
 * the analytics task table, started with the context and stopped after the shutdown hook
 * chain (letting a batch being applied finish, up to its shutdown wait).
 *
 * @author recycling team
 */
public final class BatchProcessor implements SmartLifecycle {

	// built as it starts: db-scheduler asks the database which one it is as it builds
	private final Supplier<Scheduler> schedulers;

	private volatile @Nullable Scheduler scheduler;

	private volatile boolean running;

	private final BooleanSupplier autoStartup;

	/**
	 * Create a processor.
	 * @param dataSource the database of the task table
	 * @param tableName the task table
	 * @param task the batch task
	 * @param pollingInterval how often to look for due tasks
	 * @param threads how many batches may be applied at once
	 * @param shutdownWait the longest wait for a batch being applied at shutdown
	 */
	public BatchProcessor(DataSource dataSource, String tableName, BatchTask task, Duration pollingInterval,
			int threads, Duration shutdownWait) {
		this(dataSource, tableName, task, pollingInterval, threads, shutdownWait, () -> true, null);
	}

	/**
	 * Create a processor that starts with its context only when a condition holds then, and
	 * may run the housekeeping of the applied batch ids.
	 * @param dataSource the database of the task table
	 * @param tableName the task table
	 * @param task the batch task
	 * @param pollingInterval how often to look for due tasks
	 * @param threads how many batches may be applied at once
	 * @param shutdownWait the longest wait for a batch being applied at shutdown
	 * @param autoStartup whether to start with the context, asked as it starts
	 * @param housekeeping the recurring housekeeping, or {@code null} for none
	 */
	public BatchProcessor(DataSource dataSource, String tableName, BatchTask task, Duration pollingInterval,
			int threads, Duration shutdownWait, BooleanSupplier autoStartup,
			@Nullable AppliedBatchesHousekeeping housekeeping) {
		this.autoStartup = autoStartup;
		// a start task is known to the scheduler as well: listed once, there
		List<RecurringTask<Void>> recurring = (housekeeping != null) ? List.of(housekeeping.task()) : List.of();
		this.schedulers = () -> Scheduler.create(dataSource, task.task())
			.tableName(tableName)
			.serializer(new BytesSerializer())
			.jdbcCustomization(TaskTableCustomization.of(dataSource))
			.pollingInterval(pollingInterval)
			// a processor that died with a batch picked hands it over after a minute, not db-scheduler's 30
			.heartbeatInterval(Duration.ofSeconds(10))
			.threads(threads)
			.shutdownMaxWait(shutdownWait)
			.startTasks(recurring)
			.build();
	}

	/**
	 * Look for due tasks now rather than at the next poll.
	 */
	public void wakeUp() {
		Scheduler scheduler = this.scheduler;
		if (this.running && scheduler != null) {
			scheduler.triggerCheckForDueExecutions();
		}
	}

	@Override
	public void start() {
		Scheduler scheduler = this.schedulers.get();
		this.scheduler = scheduler;
		scheduler.start();
		this.running = true;
	}

	@Override
	public void stop() {
		this.running = false;
		Scheduler scheduler = this.scheduler;
		if (scheduler != null) {
			scheduler.stop();
		}
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public boolean isAutoStartup() {
		return this.autoStartup.getAsBoolean();
	}

	@Override
	public int getPhase() {
		return ShutdownHookChain.PHASE - 1;
	}


}
