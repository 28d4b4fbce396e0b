package dev.recycling.restart.tomcat;

import java.util.ArrayList;
import java.util.List;

import dev.recycling.drain.ConnectionQuiescer;
import org.apache.catalina.Service;
import org.apache.catalina.connector.Connector;

import org.springframework.boot.tomcat.TomcatWebServer;
import org.springframework.boot.web.server.WebServer;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ApplicationContext;

/**
 * Quiesces the held-socket connectors of the context's Tomcat.
 *
 * @author recycling team
 */
public final class TomcatConnectionQuiescer implements ConnectionQuiescer {

	private final ApplicationContext context;

	/**
	 * Create a quiescer for the web server of a context.
	 * @param context the context, a web server context when the server runs
	 */
	public TomcatConnectionQuiescer(ApplicationContext context) {
		this.context = context;
	}

	@Override
	public void stopAccepting() {
		endpoints().forEach(HeldSocketNioEndpoint::stopAccepting);
	}

	@Override
	public long openConnections() {
		return endpoints().stream().mapToLong(HeldSocketNioEndpoint::openConnections).sum();
	}

	private List<HeldSocketNioEndpoint> endpoints() {
		List<HeldSocketNioEndpoint> endpoints = new ArrayList<>();
		WebServer webServer = (this.context instanceof WebServerApplicationContext webContext)
				? webContext.getWebServer() : null;
		if (webServer instanceof TomcatWebServer tomcat) {
			for (Service service : tomcat.getTomcat().getServer().findServices()) {
				for (Connector connector : service.findConnectors()) {
					if (connector.getProtocolHandler() instanceof HeldSocketHttp11NioProtocol protocol
							&& protocol.getHeldSocketEndpoint().isHoldingSocket()) {
						endpoints.add(protocol.getHeldSocketEndpoint());
					}
				}
			}
		}
		return endpoints;
	}

}
