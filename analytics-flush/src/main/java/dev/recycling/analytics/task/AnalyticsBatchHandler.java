package dev.recycling.analytics.task;

/**
 * Applies a batch: what the durable task does, on whichever instance runs it.
 * <p>
 * The default handler upserts into the aggregate tables and records the batch id in the
 * same transaction. Declare a bean of this type to write somewhere else. A handler may be
 * called more than once for the same batch (a crash between applying and completing the
 * task, a replayed spill file), so it must be idempotent by {@link AnalyticsBatch#id()}.
 * Throwing leaves the task in place; it is retried with backoff.
 *
 * @author recycling team
 */
@FunctionalInterface
public interface AnalyticsBatchHandler {

	/**
	 * Apply the batch.
	 * @param batch the batch
	 * @throws Exception to have the task retried later
	 */
	void handle(AnalyticsBatch batch) throws Exception;

}
