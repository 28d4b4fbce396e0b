package dev.recycling.restart.netty;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

import dev.recycling.restart.HeldServerSockets;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.ImmediateEventExecutor;
import reactor.netty.http.server.HttpServer;
import reactor.netty.resources.LoopResources;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.reactor.netty.NettyReactiveWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.core.Ordered;

/**
 * Makes Reactor Netty serve on a listening socket held across restarts.
 * <p>
 * Relies on Reactor Netty creating its server channel through
 * {@link LoopResources#onChannel} and binding it with {@code Channel.bind}: the server
 * runs on a {@code HeldSocketServer}, whose server channel wraps the held socket (Netty's
 * {@code NioServerSocketChannel(ServerSocketChannel)}), skips the bind, and releases the
 * socket on close instead of closing it. Spring Boot would apply its
 * {@code ReactorResourceFactory}'s loops after the server customizers, so the factory is
 * taken off the web server factory and its loops serve the connections through the
 * {@code HeldSocketServer} instead. The server also gets a channel group, so that stopping
 * it closes its idle keep-alive connections (Reactor Netty leaves them open otherwise, on
 * loops that outlive the generation). Used as a bean: its destruction, after the context's
 * web servers stopped, stops the servers' accept loops. Covered by the WebFlux demo's recycle
 * tests.
 *
 * @author recycling team
 */
public final class NettyHeldSocketCustomizer
		implements WebServerFactoryCustomizer<NettyReactiveWebServerFactory>, Ordered, DisposableBean {

	private final HeldServerSockets heldSockets;

	private final Supplier<LoopResources> workers;

	private final String server;

	private final List<HeldSocketServer> servers = new CopyOnWriteArrayList<>();

	/**
	 * Create a customizer.
	 * @param heldSockets the recycler's held sockets
	 * @param workers the loops that serve the connections, usually the
	 * {@code ReactorResourceFactory}'s
	 * @param server which server it is ({@code netty}, {@code netty-management}), part of the
	 * held socket's key
	 */
	public NettyHeldSocketCustomizer(HeldServerSockets heldSockets, Supplier<LoopResources> workers, String server) {
		this.heldSockets = heldSockets;
		this.workers = workers;
		this.server = server;
	}

	@Override
	public void customize(NettyReactiveWebServerFactory factory) {
		InetSocketAddress address = (factory.getAddress() != null)
				? new InetSocketAddress(factory.getAddress(), factory.getPort()) : new InetSocketAddress(factory.getPort());
		String key = this.server + ":" + address;
		factory.setResourceFactory(null);
		factory.addServerCustomizers((httpServer) -> hold(httpServer, key, address));
	}

	private HttpServer hold(HttpServer httpServer, String key, InetSocketAddress address) {
		HeldSocketServer held = new HeldSocketServer(this.heldSockets, key, address, this.workers);
		this.servers.add(held);
		HttpServer holding = httpServer.runOn(held, false);
		return (httpServer.configuration().channelGroup() != null) ? holding
				: holding.channelGroup(new DefaultChannelGroup(ImmediateEventExecutor.INSTANCE));
	}

	List<HeldSocketServer> servers() {
		return this.servers;
	}

	@Override
	public int getOrder() {
		return Ordered.LOWEST_PRECEDENCE;
	}

	/**
	 * Stop the accept loops of the servers customized, once the context's web servers have
	 * stopped.
	 */
	@Override
	public void destroy() {
		this.servers.forEach(HeldSocketServer::stopAcceptLoop);
	}

}
