package dev.recycling.restart.jetty;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.recycling.drain.ConnectionQuiescer;
import org.eclipse.jetty.io.ManagedSelector;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.ServerConnector;

import org.springframework.boot.jetty.JettyWebServer;
import org.springframework.boot.web.server.WebServer;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ApplicationContext;

/**
 * Quiesces the held-socket connectors of the context's Jetty: cancels the accept
 * registration, then waits for the selectors to have processed it, so that no connection is
 * accepted afterwards. Counts a connection as open from its accept on (see
 * {@link OpenChannels}).
 *
 * @author recycling team
 */
public final class JettyConnectionQuiescer implements ConnectionQuiescer {

	private final ApplicationContext context;

	/**
	 * Create a quiescer for the web server of a context.
	 * @param context the context, a web server context when the server runs
	 */
	public JettyConnectionQuiescer(ApplicationContext context) {
		this.context = context;
	}

	@Override
	public void stopAccepting() {
		for (ServerConnector connector : connectors()) {
			connector.setAccepting(false);
			awaitSelectors(connector);
		}
	}

	private void awaitSelectors(ServerConnector connector) {
		List<ManagedSelector> selectors = new ArrayList<>(connector.getSelectorManager().getBeans(ManagedSelector.class));
		CountDownLatch processed = new CountDownLatch(selectors.size());
		// updates run in order on each selector's thread: once ours ran, the cancel has too
		selectors.forEach((selector) -> selector.submit((nioSelector) -> processed.countDown()));
		try {
			processed.await(1, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	@Override
	public long openConnections() {
		return connectors().stream().mapToLong(JettyConnectionQuiescer::openConnections).sum();
	}

	// from the accept on (OpenChannels), not only once the end point exists
	static long openConnections(ServerConnector connector) {
		long endPoints = connector.getConnectedEndPoints().size();
		OpenChannels channels = connector.getSelectorManager().getBean(OpenChannels.class);
		return (channels != null) ? Math.max(channels.get(), endPoints) : endPoints;
	}

	private List<ServerConnector> connectors() {
		List<ServerConnector> connectors = new ArrayList<>();
		WebServer webServer = (this.context instanceof WebServerApplicationContext webContext)
				? webContext.getWebServer() : null;
		if (webServer instanceof JettyWebServer jetty) {
			for (Connector connector : jetty.getServer().getConnectors()) {
				if (connector instanceof ServerConnector serverConnector && serverConnector.getAcceptors() == 0
						&& serverConnector.isRunning()) {
					connectors.add(serverConnector);
				}
			}
		}
		return connectors;
	}

}
