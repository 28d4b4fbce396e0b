package dev.recycling.analytics.flush;

import org.jspecify.annotations.Nullable;

/**
 * Connects the caches, which ask for an early flush when one is full, to the flush
 * scheduler, which is created after them.
 *
 * @author recycling team
 */
public final class EarlyFlushSignal implements Runnable {

	private volatile @Nullable Runnable target;

	/**
	 * Ask for an early flush; does nothing until a scheduler is connected. Never blocks.
	 */
	@Override
	public void run() {
		Runnable target = this.target;
		if (target != null) {
			target.run();
		}
	}

	/**
	 * Connect what runs the early flush.
	 * @param target the target, or {@code null} to disconnect
	 */
	public void connect(@Nullable Runnable target) {
		this.target = target;
	}

}
