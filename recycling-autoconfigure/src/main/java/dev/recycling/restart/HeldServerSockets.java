package dev.recycling.restart;

import java.io.IOException;
import java.nio.channels.ServerSocketChannel;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The listening sockets held across restarts, one per connector, keyed by the configured
 * address and port (so that {@code server.port=0} keeps the port the first generation got).
 * <p>
 * A web server obtains its socket here instead of binding one, and releases it here instead
 * of closing it. While a restart is under way a released socket stays open, so connections
 * that arrive meanwhile wait in the kernel's accept backlog; otherwise it is closed.
 *
 * @author recycling team
 */
public final class HeldServerSockets {

	private static final Logger logger = LoggerFactory.getLogger(HeldServerSockets.class);

	private final Map<String, HeldServerSocket> sockets = new ConcurrentHashMap<>();

	private final Set<String> claimed = ConcurrentHashMap.newKeySet();

	private volatile boolean holdingForRestart;

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
			return existing;
		}
		HeldServerSocket bound = new HeldServerSocket(key, binder.bind());
		this.sockets.put(key, bound);
		return bound;
	}

	/**
	 * Release a socket the web server no longer uses: kept open during a restart, closed
	 * otherwise.
	 * @param socket the socket
	 */
	public void release(HeldServerSocket socket) {
		if (this.holdingForRestart) {
			logger.debug("Holding the listening socket {} for the next generation", socket.getKey());
			return;
		}
		this.sockets.remove(socket.getKey(), socket);
		socket.close();
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
			if (!this.claimed.contains(entry.getKey())) {
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
