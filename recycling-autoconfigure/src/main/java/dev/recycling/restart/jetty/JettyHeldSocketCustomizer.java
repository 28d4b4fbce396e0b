package dev.recycling.restart.jetty;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;

import dev.recycling.restart.HeldServerSocket;
import dev.recycling.restart.HeldServerSockets;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.component.LifeCycle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.jetty.servlet.JettyServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.core.Ordered;

/**
 * Makes Jetty's {@link ServerConnector}s hold their listening socket across restarts.
 * <p>
 * Relies on Jetty 12's {@code ServerConnector.open(ServerSocketChannel)} and on its
 * behaviour with zero acceptor threads: the selector accepts, {@code setAccepting(false)}
 * only cancels the selection key ({@code setAccepting(true)} registers it again), and
 * stopping the connector leaves a channel whose key was cancelled open. Acceptor threads
 * are not used because Jetty interrupts them on stop, and interrupting a thread blocked in
 * {@code accept()} closes the channel. While generations overlap, the next generation's
 * connector is attached to a channel the serving one has registered: {@code open(channel)}
 * would switch it to blocking mode and fail, so its two private fields
 * ({@code _acceptChannel}, {@code _localPort}) are set instead; and since Jetty registers
 * the accept as it starts, the parked connector starts on a loopback placeholder channel
 * and moves to the held one at the handover. Covered by
 * {@code JettyHeldSocketTests} and {@code JettyOverlapTests}.
 *
 * @author recycling team
 */
public final class JettyHeldSocketCustomizer
		implements WebServerFactoryCustomizer<JettyServletWebServerFactory>, Ordered {

	private static final Logger logger = LoggerFactory.getLogger(JettyHeldSocketCustomizer.class);

	private final HeldServerSockets heldSockets;

	private final String server;

	/**
	 * Create a customizer.
	 * @param heldSockets the recycler's held sockets
	 * @param server which server it is ({@code jetty}, {@code jetty-management}), part of the
	 * held socket's key (with port 0, the main and the management server have the same
	 * address)
	 */
	public JettyHeldSocketCustomizer(HeldServerSockets heldSockets, String server) {
		this.heldSockets = heldSockets;
		this.server = server;
	}

	@Override
	public void customize(JettyServletWebServerFactory factory) {
		if (factory.getAcceptors() > 0) {
			logger.info("Using no Jetty acceptor threads instead of {} (server.jetty.threads.acceptors): the "
					+ "selector accepts, so that the listening socket can be held across restarts",
					factory.getAcceptors());
		}
		factory.setAcceptors(0);
		factory.addServerCustomizers(this::holdSockets);
	}

	private void holdSockets(Server server) {
		for (Connector connector : server.getConnectors()) {
			if (connector instanceof ServerConnector serverConnector && serverConnector.getAcceptors() == 0) {
				hold(serverConnector);
			}
		}
	}

	private void hold(ServerConnector connector) {
		InetSocketAddress address = (connector.getHost() != null)
				? new InetSocketAddress(connector.getHost(), connector.getPort())
				: new InetSocketAddress(connector.getPort());
		try {
			HeldServerSocket socket = this.heldSockets.obtain(this.server + ":" + address, () -> bind(connector, address));
			ServerSocketChannel channel = socket.getChannel();
			// counted from the accept on, for the quiescer (the connector's end points come later)
			connector.getSelectorManager().addEventListener(new OpenChannels());
			// a next generation starting next to a serving one: Jetty registers the accept as it
			// starts, so until the handover it gets a placeholder nobody connects to (loopback,
			// ephemeral port) and reports the held socket's port
			ServerSocketChannel placeholder = this.heldSockets.startsParked() ? placeholder() : null;
			if (placeholder != null) {
				attach(connector, placeholder, channel.socket().getLocalPort());
				this.heldSockets.whenHandedOver(() -> takeOver(connector, placeholder, channel));
			}
			else if (channel.isRegistered()) {
				attach(connector, channel, channel.socket().getLocalPort());
			}
			else {
				connector.open(channel);
			}
			connector.addEventListener(new LifeCycle.Listener() {

				@Override
				public void lifeCycleStopped(LifeCycle event) {
					if (placeholder != null) {
						closeQuietly(placeholder);
					}
					JettyHeldSocketCustomizer.this.heldSockets.release(socket);
				}

			});
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not bind " + address, ex);
		}
	}

	private static ServerSocketChannel placeholder() throws IOException {
		ServerSocketChannel placeholder = ServerSocketChannel.open();
		placeholder.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1);
		return placeholder;
	}

	// the handover: the accept moves from the placeholder to the held channel
	private static void takeOver(ServerConnector connector, ServerSocketChannel placeholder,
			ServerSocketChannel channel) {
		connector.setAccepting(false);
		try {
			set(connector, "_acceptChannel", channel);
		}
		catch (ReflectiveOperationException ex) {
			throw new IllegalStateException("Cannot move Jetty's ServerConnector to the held listening socket", ex);
		}
		connector.setAccepting(true);
		closeQuietly(placeholder);
	}

	// The previous generation's selector has the channel registered (overlap), and
	// ServerConnector.open(channel) switches it to blocking mode first, which a registered
	// channel refuses. Give the connector the channel as open(channel) would, without the
	// switch: its start sets non-blocking mode and registers the accept with its own selector.
	private static void attach(ServerConnector connector, ServerSocketChannel channel, int port) throws IOException {
		try {
			set(connector, "_acceptChannel", channel);
			set(connector, "_localPort", port);
		}
		catch (ReflectiveOperationException | RuntimeException ex) {
			throw new IOException("Cannot attach Jetty's ServerConnector to the listening socket the serving generation "
					+ "uses (Jetty " + Server.getVersion() + "): set recycling.restart.strategy=sequential", ex);
		}
	}

	private static void closeQuietly(ServerSocketChannel channel) {
		try {
			channel.close();
		}
		catch (IOException ex) {
			logger.debug("Could not close {}", channel, ex);
		}
	}

	private static void set(ServerConnector connector, String name, Object value) throws ReflectiveOperationException {
		Field field = ServerConnector.class.getDeclaredField(name);
		field.setAccessible(true);
		field.set(connector, value);
	}

	private static ServerSocketChannel bind(ServerConnector connector, InetSocketAddress address)
			throws IOException {
		ServerSocketChannel channel = ServerSocketChannel.open();
		try {
			channel.setOption(StandardSocketOptions.SO_REUSEADDR, connector.getReuseAddress());
			channel.bind(address, connector.getAcceptQueueSize());
			return channel;
		}
		catch (IOException ex) {
			channel.close();
			throw ex;
		}
	}

	@Override
	public int getOrder() {
		return Ordered.LOWEST_PRECEDENCE;
	}

}
