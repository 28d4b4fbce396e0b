package dev.recycling.restart.jetty;

import java.nio.channels.SelectableChannel;
import java.util.concurrent.atomic.AtomicLong;

import org.eclipse.jetty.io.SelectorManager;

/**
 * Counts the connections a {@link org.eclipse.jetty.server.ServerConnector} took off the
 * backlog and has not closed yet, from the moment its selector accepted them.
 * <p>
 * The connector's own list of connected end points misses a connection for a while: the
 * selector accepts it, hands it to a selector to register, and that selector creates its
 * end point in a task on the thread pool. A quiescer that saw no connection in that window
 * let the generation close with a connection it had already accepted (a readiness probe
 * then answered by a context that had turned to refusing). Jetty calls
 * {@link #onAccepting} on the accepting selector's thread, before the connection is handed
 * on.
 *
 * @author recycling team
 */
final class OpenChannels implements SelectorManager.AcceptListener {

	private final AtomicLong open = new AtomicLong();

	@Override
	public void onAccepting(SelectableChannel channel) {
		this.open.incrementAndGet();
	}

	@Override
	public void onAcceptFailed(SelectableChannel channel, Throwable cause) {
		this.open.decrementAndGet();
	}

	@Override
	public void onClosed(SelectableChannel channel) {
		this.open.decrementAndGet();
	}

	/**
	 * Return the connections accepted and not closed.
	 * @return the open connections
	 */
	long get() {
		return Math.max(0, this.open.get());
	}

}
