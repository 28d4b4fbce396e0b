package dev.recycling.analytics.web;

import java.util.ArrayList;
import java.util.List;

/**
 * The counts a request holds until its response completes: committed to the caches if it
 * succeeded, dropped otherwise, once either way.
 *
 * @author recycling team
 */
final class PendingUsage {

	private final List<Runnable> records = new ArrayList<>(2);

	private boolean done;

	synchronized void add(Runnable record) {
		if (this.done) {
			throw new IllegalStateException("The response is complete: usage can no longer be recorded for it");
		}
		this.records.add(record);
	}

	void commit() {
		for (Runnable record : finish()) {
			record.run();
		}
	}

	void drop() {
		finish();
	}

	private synchronized List<Runnable> finish() {
		if (this.done) {
			return List.of();
		}
		this.done = true;
		List<Runnable> records = List.copyOf(this.records);
		this.records.clear();
		return records;
	}

}
