package dev.recycling.restart;

import java.io.IOException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A listening socket that outlives the web server of one generation, with the connections
 * accepted in the last moments of a generation that the next one must serve.
 *
 * @author recycling team
 */
public final class HeldServerSocket {

	private static final Logger logger = LoggerFactory.getLogger(HeldServerSocket.class);

	private final String key;

	private final ServerSocketChannel channel;

	private final Queue<SocketChannel> handedOff = new ConcurrentLinkedQueue<>();

	// wake the acceptors waiting for a handed-off connection
	private final List<Runnable> handOffListeners = new CopyOnWriteArrayList<>();

	// web servers using the socket: two while generations overlap
	private final AtomicInteger users = new AtomicInteger(1);

	HeldServerSocket(String key, ServerSocketChannel channel) {
		this.key = key;
		this.channel = channel;
	}

	/**
	 * Return the key the socket is held under (address and configured port).
	 * @return the key
	 */
	public String getKey() {
		return this.key;
	}

	/**
	 * Return the listening channel. Servers may switch it to non-blocking mode and register
	 * it with their selectors; they must not close it.
	 * @return the channel
	 */
	public ServerSocketChannel getChannel() {
		return this.channel;
	}

	/**
	 * Keep a connection that a closing generation took off the backlog but cannot serve,
	 * for the next generation.
	 * @param connection the accepted connection
	 */
	public void handOff(SocketChannel connection) {
		this.handedOff.add(connection);
		logger.debug("Handed connection {} on {} to the next generation", connection, this.key);
		this.handOffListeners.forEach(Runnable::run);
	}

	/**
	 * Run an action whenever a connection is handed off, typically to wake an acceptor
	 * that waits for connections, until {@link #removeHandOffListener removed}.
	 * @param listener the action
	 */
	public void addHandOffListener(Runnable listener) {
		this.handOffListeners.add(listener);
	}

	/**
	 * Stop running an action added with {@link #addHandOffListener}.
	 * @param listener the action
	 */
	public void removeHandOffListener(Runnable listener) {
		this.handOffListeners.remove(listener);
	}

	/**
	 * Take a connection handed over by the previous generation, if any.
	 * @return the connection, or {@code null}
	 */
	public SocketChannel pollHandedOff() {
		return this.handedOff.poll();
	}

	void retain() {
		this.users.incrementAndGet();
	}

	// returns the servers still using the socket
	int releaseOne() {
		return this.users.updateAndGet((users) -> Math.max(0, users - 1));
	}

	int users() {
		return this.users.get();
	}

	boolean isOpen() {
		return this.channel.isOpen();
	}

	void close() {
		SocketChannel connection;
		while ((connection = this.handedOff.poll()) != null) {
			closeQuietly(connection);
		}
		closeQuietly(this.channel);
	}

	private static void closeQuietly(java.nio.channels.Channel channel) {
		try {
			channel.close();
		}
		catch (IOException ex) {
			logger.debug("Could not close {}", channel, ex);
		}
	}

}
