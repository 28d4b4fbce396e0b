package dev.recycling.analytics.task;

import java.time.Instant;
import java.util.function.Supplier;

import javax.sql.DataSource;

import com.github.kagkarlsson.scheduler.SchedulerClient;
import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.util.function.SingletonSupplier;

/**
 * Enqueues each batch as one db-scheduler task: one insert into the task table, instance id
 * the batch id, data the encoded batch.
 *
 * @author recycling team
 */
public final class DbSchedulerBatchQueue implements BatchQueue {

	// built on first use: db-scheduler asks the database which one it is as it builds
	private final SingletonSupplier<SchedulerClient> client;

	private final OneTimeTask<byte[]> task;

	private final BatchCodec codec;

	private final JdbcTemplate jdbc;

	private final String countSql;

	private final Runnable afterEnqueue;

	private final Supplier<Instant> now;

	/**
	 * Create a queue.
	 * @param dataSource the database of the task table
	 * @param tableName the task table
	 * @param task the batch task
	 * @param codec encodes the batch
	 * @param afterEnqueue run after a task was added, such as waking the local processor
	 * @param now the clock
	 */
	public DbSchedulerBatchQueue(DataSource dataSource, String tableName, BatchTask task, BatchCodec codec,
			Runnable afterEnqueue, Supplier<Instant> now) {
		this.task = task.task();
		this.client = SingletonSupplier.of(() -> SchedulerClient.Builder.create(dataSource, this.task)
			.tableName(tableName)
			.serializer(new BytesSerializer())
			.jdbcCustomization(TaskTableCustomization.of(dataSource))
			.build());
		this.codec = codec;
		this.jdbc = new JdbcTemplate(dataSource);
		this.countSql = "SELECT COUNT(*) FROM " + tableName + " WHERE task_name = '" + BatchTask.NAME + "'";
		this.afterEnqueue = afterEnqueue;
		this.now = now;
	}

	@Override
	public boolean enqueue(AnalyticsBatch batch) {
		boolean added = this.client.obtain().scheduleIfNotExists(this.task.instance(batch.id().toString(),
				this.codec.encode(batch)), this.now.get());
		if (added) {
			this.afterEnqueue.run();
		}
		return added;
	}

	@Override
	public long pendingBatches() {
		Long count = this.jdbc.queryForObject(this.countSql, Long.class);
		return (count != null) ? count : 0;
	}

}
