package dev.recycling.restart;

import java.io.IOException;
import java.nio.channels.ServerSocketChannel;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The listening sockets held across restarts, one per connector, keyed by the configured
 * address and port (so that {@code server.port=0} keeps the port the first generation got).
 * <p>
 * A web server obtains its socket here instead of binding one, and releases it here instead
 * of closing it. A socket is closed once no web server uses it, unless a sequential restart
 * is under way: then it stays open, so connections that arrive meanwhile wait in the
 * kernel's accept backlog. While generations overlap two web servers use one socket; the
 * next generation's servers start <em>parked</em> (attached, not accepting) and start
 * accepting at the handover.
 *
 * @author recycling team
 */
public final class HeldServerSockets {

	private static final Logger logger = LoggerFactory.getLogger(HeldServerSockets.class);

	private final Map<String, HeldServerSocket> sockets = new ConcurrentHashMap<>();

	private final Set<String> claimed = ConcurrentHashMap.newKeySet();

	private final List<Runnable> parked = new CopyOnWriteArrayList<>();

	private volatile boolean holdingForRestart;

	private volatile boolean startingNext;

	/**
	 * Return the socket held under the key, binding a new one if there is none.
	 * @param key the address and configured port
	 * @param binder binds a new socket
	 * @return the held socket
	 * @throws IOException if binding fails
	 */
	public HeldServerSocket obtain(String key, Binder binder) throws IOException {
		this.claimed.add(key);
		HeldServerSocket existing = this.sockets.get(key);
		if (existing != null && existing.isOpen()) {
			logger.debug("Reusing the held listening socket {}", key);
			existing.retain();
			return existing;
		}
		HeldServerSocket bound = new HeldServerSocket(key, binder.bind());
		this.sockets.put(key, bound);
		return bound;
	}

	/**
	 * Release a socket the web server no longer uses: kept open while another server uses
	 * it or a sequential restart is under way, closed otherwise.
	 * @param socket the socket
	 */
	public void release(HeldServerSocket socket) {
		if (socket.releaseOne() > 0) {
			logger.debug("The listening socket {} stays with the other generation", socket.getKey());
			return;
		}
		if (this.holdingForRestart) {
			logger.debug("Holding the listening socket {} for the next generation", socket.getKey());
			return;
		}
		this.sockets.remove(socket.getKey(), socket);
		socket.close();
	}

	/**
	 * Return whether a web server that obtains its socket now must start parked: attached to
	 * the socket but not accepting, because a next generation is starting next to a serving
	 * one. Such a server registers how it starts accepting with {@link #whenHandedOver}.
	 * @return whether to start parked
	 */
	public boolean startsParked() {
		return this.startingNext;
	}

	/**
	 * Register how a parked web server starts accepting, run at the handover.
	 * @param startAccepting starts taking connections off the backlog
	 */
	public void whenHandedOver(Runnable startAccepting) {
		this.parked.add(startAccepting);
	}

	void startNext() {
		this.parked.clear();
		this.startingNext = true;
	}

	// the next generation is ready: its servers start taking connections
	void handOver() {
		this.startingNext = false;
		List<Runnable> actions = List.copyOf(this.parked);
		this.parked.clear();
		for (Runnable action : actions) {
			try {
				action.run();
			}
			catch (RuntimeException ex) {
				logger.warn("A web server of the next generation could not start accepting", ex);
			}
		}
	}

	// the next generation failed to start: its servers are closed with its context
	void abandonNext() {
		this.startingNext = false;
		this.parked.clear();
	}

	void holdForRestart() {
		this.claimed.clear();
		this.holdingForRestart = true;
	}

	/**
	 * The next generation is up: stop holding, and close the sockets it did not claim
	 * (a connector that is no longer configured).
	 */
	void restartComplete() {
		this.holdingForRestart = false;
		this.sockets.entrySet().removeIf((entry) -> {
			if (!this.claimed.contains(entry.getKey()) && entry.getValue().users() == 0) {
				entry.getValue().close();
				return true;
			}
			return false;
		});
	}

	/**
	 * Close every held socket (the JVM gives up serving).
	 */
	void closeAll() {
		this.holdingForRestart = false;
		this.sockets.values().forEach(HeldServerSocket::close);
		this.sockets.clear();
	}

	/**
	 * Binds a new listening socket.
	 */
	@FunctionalInterface
	public interface Binder {

		/**
		 * Open and bind a listening socket.
		 * @return the bound channel
		 * @throws IOException if binding fails
		 */
		ServerSocketChannel bind() throws IOException;

	}

}
