package dev.recycling.analytics.flush;

import java.time.Duration;
import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * What one flush did.
 *
 * @param trigger what started it
 * @param finishedAt when it finished
 * @param duration how long it took
 * @param outcome how it ended
 * @param batchesEnqueued batches enqueued as durable tasks (including older pending ones)
 * @param entriesEnqueued entries in those batches
 * @param countsEnqueued the counts in those batches (API requests and feature evaluations)
 * @param batchesSpilled batches written to the spill directory
 * @param pendingBatches batches still held in memory for the next flush
 * @param batchesLost batches that could be neither enqueued nor spilled
 * @param countsLost the counts those batches held
 * @param error why the batches could not be enqueued, if they could not
 * @author recycling team
 */
public record FlushResult(FlushTrigger trigger, Instant finishedAt, Duration duration, Outcome outcome,
		int batchesEnqueued, long entriesEnqueued, long countsEnqueued, int batchesSpilled, int pendingBatches, int batchesLost, long countsLost,
		@Nullable String error) {

	/**
	 * How a flush ended.
	 */
	public enum Outcome {

		/**
		 * The caches were empty and nothing was pending.
		 */
		EMPTY,

		/**
		 * Every batch was enqueued.
		 */
		ENQUEUED,

		/**
		 * The queue could not be reached (or the circuit breaker is open); the batches stay
		 * in memory for the next flush.
		 */
		DEFERRED,

		/**
		 * Some batches were written to the spill directory instead of the queue.
		 */
		SPILLED,

		/**
		 * Batches could be neither enqueued nor spilled and are lost ({@code batchesLost},
		 * {@code countsLost}); the log says why.
		 */
		FAILED

	}

}
