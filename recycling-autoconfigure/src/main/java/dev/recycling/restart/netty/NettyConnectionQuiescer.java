package dev.recycling.restart.netty;

import dev.recycling.drain.ConnectionQuiescer;

/**
 * Quiesces the Reactor Netty servers that serve on held sockets: stops their server
 * channels' reads (no accept after that), and counts the connections they accepted.
 *
 * @author recycling team
 */
public final class NettyConnectionQuiescer implements ConnectionQuiescer {

	private final NettyHeldSocketCustomizer servers;

	/**
	 * Create a quiescer for the servers a customizer set up.
	 * @param servers the customizer of the generation's web server factory
	 */
	public NettyConnectionQuiescer(NettyHeldSocketCustomizer servers) {
		this.servers = servers;
	}

	@Override
	public void stopAccepting() {
		this.servers.servers().forEach(HeldSocketServer::stopAccepting);
	}

	@Override
	public long openConnections() {
		return this.servers.servers().stream().mapToLong(HeldSocketServer::openConnections).sum();
	}

}
