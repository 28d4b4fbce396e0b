package dev.recycling.analytics.flush;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

import dev.recycling.analytics.task.AnalyticsBatch;
import dev.recycling.analytics.task.BatchFootprint;
import org.jspecify.annotations.Nullable;

/**
 * Batches drained from the caches but not yet durable, oldest first, with the heap they
 * hold. Every operation is short and atomic, so that the shutdown flush can take them all
 * while a periodic flush is stuck on the database with one of them.
 *
 * @author recycling team
 */
final class PendingBatches {

	private final Deque<Held> batches = new ArrayDeque<>();

	private long bytes;

	synchronized void add(AnalyticsBatch batch) {
		Held held = new Held(batch, BatchFootprint.of(batch));
		this.batches.addLast(held);
		this.bytes += held.bytes;
	}

	synchronized @Nullable AnalyticsBatch oldest() {
		Held oldest = this.batches.peekFirst();
		return (oldest != null) ? oldest.batch : null;
	}

	/**
	 * Remove a batch once it is durable; a batch the shutdown flush took meanwhile is gone
	 * already, which is fine.
	 */
	synchronized void remove(AnalyticsBatch batch) {
		for (var iterator = this.batches.iterator(); iterator.hasNext();) {
			Held held = iterator.next();
			if (held.batch == batch) {
				iterator.remove();
				this.bytes -= held.bytes;
				return;
			}
		}
	}

	/**
	 * Take the oldest batch out if the batches hold more than {@code maxBytes}.
	 */
	synchronized @Nullable AnalyticsBatch takeOldestBeyond(long maxBytes) {
		if (this.bytes <= maxBytes || this.batches.isEmpty()) {
			return null;
		}
		Held oldest = this.batches.removeFirst();
		this.bytes -= oldest.bytes;
		return oldest.batch;
	}

	synchronized List<AnalyticsBatch> takeAll() {
		List<AnalyticsBatch> all = new ArrayList<>(this.batches.size());
		this.batches.forEach((held) -> all.add(held.batch));
		this.batches.clear();
		this.bytes = 0;
		return all;
	}

	synchronized int size() {
		return this.batches.size();
	}

	synchronized long bytes() {
		return this.bytes;
	}

	private record Held(AnalyticsBatch batch, long bytes) {

	}

}
