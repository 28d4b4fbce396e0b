package dev.recycling.restart.tomcat;

import dev.recycling.restart.HeldServerSockets;
import org.apache.coyote.http11.Http11NioProtocol;

/**
 * Tomcat's HTTP/1.1 NIO protocol on a {@link HeldSocketNioEndpoint}. Set as the connector
 * protocol by class name; the held sockets are given by a connector customizer before the
 * connector starts.
 *
 * @author recycling team
 */
public class HeldSocketHttp11NioProtocol extends Http11NioProtocol {

	private final HeldSocketNioEndpoint endpoint;

	public HeldSocketHttp11NioProtocol() {
		this(new HeldSocketNioEndpoint());
	}

	private HeldSocketHttp11NioProtocol(HeldSocketNioEndpoint endpoint) {
		super(endpoint);
		this.endpoint = endpoint;
	}

	/**
	 * Hold the listening socket in the given registry.
	 * @param heldSockets the held sockets of the recycler
	 * @param server which server it is, part of the socket's key (with port 0, the main and
	 * the management server have the same address)
	 */
	public void setHeldSockets(HeldServerSockets heldSockets, String server) {
		this.endpoint.setHeldSockets(heldSockets, server);
	}

	/**
	 * Return the endpoint.
	 * @return the endpoint
	 */
	public HeldSocketNioEndpoint getHeldSocketEndpoint() {
		return this.endpoint;
	}

}
