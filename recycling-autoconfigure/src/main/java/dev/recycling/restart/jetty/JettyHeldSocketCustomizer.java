package dev.recycling.restart.jetty;

import java.io.IOException;
import java.io.UncheckedIOException;
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
 * only cancels the selection key, and stopping the connector leaves a channel whose key
 * was cancelled open. Acceptor threads are not used because Jetty interrupts them on stop,
 * and interrupting a thread blocked in {@code accept()} closes the channel. Covered by
 * {@code JettyHeldSocketTests}.
 *
 * @author recycling team
 */
public final class JettyHeldSocketCustomizer
		implements WebServerFactoryCustomizer<JettyServletWebServerFactory>, Ordered {

	private static final Logger logger = LoggerFactory.getLogger(JettyHeldSocketCustomizer.class);

	private final HeldServerSockets heldSockets;

	/**
	 * Create a customizer.
	 * @param heldSockets the recycler's held sockets
	 */
	public JettyHeldSocketCustomizer(HeldServerSockets heldSockets) {
		this.heldSockets = heldSockets;
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
			HeldServerSocket socket = this.heldSockets.obtain("jetty:" + address, () -> bind(connector, address));
			connector.open(socket.getChannel());
			connector.addEventListener(new LifeCycle.Listener() {

				@Override
				public void lifeCycleStopped(LifeCycle event) {
					JettyHeldSocketCustomizer.this.heldSockets.release(socket);
				}

			});
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not bind " + address, ex);
		}
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
