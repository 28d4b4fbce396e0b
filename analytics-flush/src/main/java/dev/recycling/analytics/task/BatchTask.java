package dev.recycling.analytics.task;

import java.time.Duration;
import java.time.Instant;
import java.util.function.Consumer;

import com.github.kagkarlsson.scheduler.task.ExecutionComplete;
import com.github.kagkarlsson.scheduler.task.ExecutionOperations;
import com.github.kagkarlsson.scheduler.task.FailureHandler;
import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The db-scheduler one-time task that applies a batch: its instance id is the batch id and
 * its data the encoded batch. A failed run is retried with exponential backoff, capped, for
 * as long as it fails: a batch is never dropped.
 *
 * @author recycling team
 */
public final class BatchTask {

	/**
	 * The task name in the task table.
	 */
	public static final String NAME = "recycling-analytics-batch";

	private static final Logger logger = LoggerFactory.getLogger(BatchTask.class);

	private final OneTimeTask<byte[]> task;

	/**
	 * Create the task.
	 * @param codec decodes the task data
	 * @param handler applies the batch
	 * @param firstRetry the wait before the first retry; it doubles up to {@code maxRetry}
	 * @param maxRetry the longest wait between retries
	 */
	public BatchTask(BatchCodec codec, AnalyticsBatchHandler handler, Duration firstRetry, Duration maxRetry) {
		this(codec, handler, firstRetry, maxRetry, (batch) -> {
		});
	}

	/**
	 * Create the task, telling a listener about every batch it applied.
	 * @param codec decodes the task data
	 * @param handler applies the batch
	 * @param firstRetry the wait before the first retry; it doubles up to {@code maxRetry}
	 * @param maxRetry the longest wait between retries
	 * @param applied told about each batch once the handler has applied it
	 */
	public BatchTask(BatchCodec codec, AnalyticsBatchHandler handler, Duration firstRetry, Duration maxRetry,
			Consumer<AnalyticsBatch> applied) {
		this.task = Tasks.oneTime(NAME, byte[].class)
			.onFailure(new CappedBackoff(firstRetry, maxRetry))
			.execute((instance, context) -> {
				byte[] data = instance.getData();
				if (data == null) {
					throw new IllegalStateException("Task " + instance.getId() + " has no batch data");
				}
				AnalyticsBatch batch;
				try {
					batch = codec.decode(data);
				}
				catch (CorruptBatchException ex) {
					// kept, not dropped: retried with backoff and logged until someone looks at it
					throw new IllegalStateException("Task " + instance.getId() + " holds a damaged batch", ex);
				}
				logger.debug("Applying batch {} ({} entries, trigger {})", batch.id(), batch.entries(),
						batch.trigger());
				try {
					handler.handle(batch);
				}
				catch (RuntimeException ex) {
					throw ex;
				}
				catch (Exception ex) {
					throw new IllegalStateException("Applying batch " + batch.id() + " failed", ex);
				}
				try {
					applied.accept(batch);
				}
				catch (RuntimeException ex) {
					logger.warn("A listener failed on applied batch {}; the batch is applied", batch.id(), ex);
				}
			});
	}

	/**
	 * Return the db-scheduler task.
	 * @return the task
	 */
	public OneTimeTask<byte[]> task() {
		return this.task;
	}

	private static final class CappedBackoff implements FailureHandler<byte[]> {

		private final Duration first;

		private final Duration max;

		CappedBackoff(Duration first, Duration max) {
			this.first = first;
			this.max = max;
		}

		@Override
		public void onFailure(ExecutionComplete complete, ExecutionOperations<byte[]> operations) {
			int failures = complete.getExecution().consecutiveFailures + 1;
			long factor = 1L << Math.min(failures - 1, 30);
			Duration wait = (this.first.toMillis() * factor > this.max.toMillis()) ? this.max
					: this.first.multipliedBy(factor);
			Instant next = complete.getTimeDone().plus(wait);
			logger.warn("Applying analytics batch {} failed ({} times in a row); retrying at {}: {}",
					complete.getExecution().taskInstance.getId(), failures, next,
					complete.getCause().map(Throwable::toString).orElse("unknown cause"));
			operations.reschedule(complete, next);
		}

	}

}
