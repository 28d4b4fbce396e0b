package dev.recycling.analytics.web;

import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * The counts a request holds until its response completes: committed to the caches if it
 * succeeded, dropped otherwise, once either way.
 * <p>
 * Servlet requests hold a {@link ServletPendingUsage}, which also keeps the request as the
 * server received it; the recorder makes it on a request's first record.
 *
 * @author recycling team
 */
class PendingUsage {

	// most requests record once: that record needs no list
	private @Nullable Runnable first;

	private @Nullable List<Runnable> more;

	private boolean done;

	final synchronized void add(Runnable record) {
		if (this.done) {
			throw new IllegalStateException("The response is complete: usage can no longer be recorded for it");
		}
		if (this.first == null) {
			this.first = record;
			return;
		}
		if (this.more == null) {
			this.more = new ArrayList<>(2);
		}
		this.more.add(record);
	}

	/**
	 * Commit the records, unless they were committed or dropped before.
	 * @return whether they were committed now
	 */
	final boolean commit() {
		Runnable first;
		List<Runnable> more;
		synchronized (this) {
			if (this.done) {
				return false;
			}
			first = this.first;
			more = this.more;
			finish();
		}
		if (first != null) {
			first.run();
		}
		if (more != null) {
			more.forEach(Runnable::run);
		}
		return true;
	}

	final synchronized void drop() {
		if (!this.done) {
			finish();
		}
	}

	private void finish() {
		this.done = true;
		this.first = null;
		this.more = null;
	}

}
