package dev.recycling.analytics.task;

import java.time.Duration;

import javax.sql.DataSource;

import com.github.kagkarlsson.scheduler.Scheduler;
import dev.recycling.shutdown.ShutdownHookChain;

import org.springframework.context.SmartLifecycle;

/**
 * Runs the batch tasks of every instance on this one: a db-scheduler {@link Scheduler} on
 * the analytics task table, started with the context and stopped after the shutdown hook
 * chain (letting a batch being applied finish, up to its shutdown wait).
 *
 * @author recycling team
 */
public final class BatchProcessor implements SmartLifecycle {

	private final Scheduler scheduler;

	private volatile boolean running;

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
		this.scheduler = Scheduler.create(dataSource, task.task())
			.tableName(tableName)
			.serializer(new BytesSerializer())
			.pollingInterval(pollingInterval)
			// a processor that died with a batch picked hands it over after a minute, not db-scheduler's 30
			.heartbeatInterval(Duration.ofSeconds(10))
			.threads(threads)
			.shutdownMaxWait(shutdownWait)
			.build();
	}

	/**
	 * Look for due tasks now rather than at the next poll.
	 */
	public void wakeUp() {
		if (this.running) {
			this.scheduler.triggerCheckForDueExecutions();
		}
	}

	@Override
	public void start() {
		this.scheduler.start();
		this.running = true;
	}

	@Override
	public void stop() {
		this.running = false;
		this.scheduler.stop();
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return ShutdownHookChain.PHASE - 1;
	}


}
