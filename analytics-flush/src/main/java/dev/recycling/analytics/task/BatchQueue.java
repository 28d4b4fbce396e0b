package dev.recycling.analytics.task;

/**
 * Where a flush puts a batch so that it is applied later, durably.
 *
 * @author recycling team
 */
public interface BatchQueue {

	/**
	 * Enqueue a batch as one durable task. Enqueuing a batch whose id is already queued
	 * changes nothing.
	 * @param batch the batch
	 * @return {@code true} if a task was added, {@code false} if one with that id was queued
	 * @throws RuntimeException if the batch could not be stored
	 */
	boolean enqueue(AnalyticsBatch batch);

	/**
	 * Return how many batches are enqueued but not yet applied.
	 * @return the number of pending batches
	 */
	long pendingBatches();

}
