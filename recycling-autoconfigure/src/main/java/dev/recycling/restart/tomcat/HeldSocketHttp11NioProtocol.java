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
	 */
	public void setHeldSockets(HeldServerSockets heldSockets) {
		this.endpoint.setHeldSockets(heldSockets);
	}

	/**
	 * Return the endpoint.
	 * @return the endpoint
	 */
	public HeldSocketNioEndpoint getHeldSocketEndpoint() {
		return this.endpoint;
	}

}
