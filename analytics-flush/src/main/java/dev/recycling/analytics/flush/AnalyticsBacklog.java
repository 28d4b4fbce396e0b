package dev.recycling.analytics.flush;

import org.jspecify.annotations.Nullable;

/**
 * Every count recorded but not yet applied, wherever it waits. Only when nothing waits
 * anywhere do the applied totals equal what was recorded.
 *
 * @param countsInCaches counts recorded since the last flush, not yet in a batch
 * @param batchesInMemory batches the queue could not take yet, held in memory
 * @param batchesSpilled batches in the spill directory, waiting for replay
 * @param batchesQueued durable batches not yet applied, {@code null} if the queue could not
 * be asked
 * @param queueError why the queue could not be asked
 * @author recycling team
 */
public record AnalyticsBacklog(long countsInCaches, int batchesInMemory, long batchesSpilled,
		@Nullable Long batchesQueued, @Nullable String queueError) {

	/**
	 * Return the batches not yet applied, counting the caches' counts as the one batch the
	 * next flush makes of them.
	 * @return the number of batches, or {@code null} if the queue could not be asked
	 */
	public @Nullable Long unappliedBatches() {
		if (this.batchesQueued == null) {
			return null;
		}
		return ((this.countsInCaches > 0) ? 1 : 0) + this.batchesInMemory + this.batchesSpilled + this.batchesQueued;
	}

}
