package dev.recycling.restart.tomcat;

import java.io.File;
import java.util.function.Supplier;

import dev.recycling.restart.HeldServerSockets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.core.Ordered;

/**
 * Makes Tomcat's main connector hold its listening socket across restarts: switches it to
 * {@link HeldSocketHttp11NioProtocol} and gives it the recycler's held sockets.
 *
 * @author recycling team
 */
public final class TomcatHeldSocketCustomizer
		implements WebServerFactoryCustomizer<TomcatServletWebServerFactory>, Ordered {

	private static final Logger logger = LoggerFactory.getLogger(TomcatHeldSocketCustomizer.class);

	private static final String DEFAULT_PROTOCOL = "org.apache.coyote.http11.Http11NioProtocol";

	private final HeldServerSockets heldSockets;

	private final Supplier<File> baseDirectory;

	private final String server;

	/**
	 * Create a customizer.
	 * @param heldSockets the recycler's held sockets
	 * @param baseDirectory Tomcat's base directory shared by all generations, used unless
	 * {@code server.tomcat.basedir} is set (Tomcat would otherwise create a new temporary
	 * directory on every restart)
	 * @param server which server it is ({@code tomcat}, {@code tomcat-management}), part of
	 * the held socket's key
	 */
	public TomcatHeldSocketCustomizer(HeldServerSockets heldSockets, Supplier<File> baseDirectory, String server) {
		this.heldSockets = heldSockets;
		this.baseDirectory = baseDirectory;
		this.server = server;
	}

	@Override
	public void customize(TomcatServletWebServerFactory factory) {
		String protocol = factory.getProtocol();
		if (!DEFAULT_PROTOCOL.equals(protocol) && !HeldSocketHttp11NioProtocol.class.getName().equals(protocol)) {
			logger.warn("Tomcat uses protocol {}: its listening socket is not held across restarts, so connections "
					+ "arriving during a restart are refused", protocol);
			return;
		}
		if (factory.getBaseDirectory() == null) {
			factory.setBaseDirectory(this.baseDirectory.get());
		}
		factory.setProtocol(HeldSocketHttp11NioProtocol.class.getName());
		factory.addConnectorCustomizers((connector) -> {
			if (connector.getProtocolHandler() instanceof HeldSocketHttp11NioProtocol held) {
				held.setHeldSockets(this.heldSockets, this.server);
			}
		});
	}

	@Override
	public int getOrder() {
		return Ordered.LOWEST_PRECEDENCE;
	}

}
