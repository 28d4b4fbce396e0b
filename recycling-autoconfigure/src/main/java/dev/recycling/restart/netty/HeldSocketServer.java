package dev.recycling.restart.netty;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import dev.recycling.restart.HeldServerSocket;
import dev.recycling.restart.HeldServerSockets;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.NetUtil;
import io.netty.util.concurrent.DefaultThreadFactory;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.netty.resources.LoopResources;

/**
 * The loop resources of one generation's Reactor Netty server, which make it serve on the
 * held listening socket: its server channel is a {@link HeldNioServerSocketChannel} over
 * the socket, registered with an accept loop of its own (one thread, stopped when the
 * generation's context is destroyed, after its web server), and its connections are served
 * by the worker loops every generation shares.
 * <p>
 * Its own accept loop keeps two overlapping generations on two selectors: registering the
 * one socket twice with one selector would hand the serving generation's accepts to the
 * next one. Everything runs on NIO: a native transport's channel cannot take a JDK socket.
 *
 * @author recycling team
 */
final class HeldSocketServer implements LoopResources {

	private static final Logger logger = LoggerFactory.getLogger(HeldSocketServer.class);

	private final HeldServerSockets heldSockets;

	private final String key;

	private final InetSocketAddress address;

	private final Supplier<LoopResources> workers;

	private @Nullable EventLoopGroup acceptLoop;

	private volatile @Nullable HeldNioServerSocketChannel channel;

	/**
	 * Create the loop resources of one server.
	 * @param heldSockets the recycler's held sockets
	 * @param key the held socket's key
	 * @param address the address to bind when no socket is held yet
	 * @param workers the loops that serve the connections, shared by the generations
	 */
	HeldSocketServer(HeldServerSockets heldSockets, String key, InetSocketAddress address,
			Supplier<LoopResources> workers) {
		this.heldSockets = heldSockets;
		this.key = key;
		this.address = address;
		this.workers = workers;
	}

	@Override
	public EventLoopGroup onServer(boolean useNative) {
		return this.workers.get().onServer(false);
	}

	@Override
	public EventLoopGroup onClient(boolean useNative) {
		return this.workers.get().onClient(false);
	}

	@Override
	public synchronized EventLoopGroup onServerSelect(boolean useNative) {
		EventLoopGroup loop = this.acceptLoop;
		if (loop == null) {
			loop = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("recycling-netty-accept", true),
					NioIoHandler.newFactory());
			this.acceptLoop = loop;
		}
		return loop;
	}

	@Override
	public <C extends Channel> C onChannel(Class<C> channelType, EventLoopGroup group) {
		if (ServerChannel.class.isAssignableFrom(channelType)) {
			return channelType.cast(openChannel());
		}
		return this.workers.get().onChannel(channelType, group);
	}

	@Override
	public <C extends Channel> Class<? extends C> onChannelClass(Class<C> channelType, EventLoopGroup group) {
		return this.workers.get().onChannelClass(channelType, group);
	}

	@Override
	public boolean daemon() {
		return this.workers.get().daemon();
	}

	// the shared worker loops are not this server's to dispose; its accept loop stops with the customizer that made it
	@Override
	public Mono<Void> disposeLater(Duration quietPeriod, Duration timeout) {
		return Mono.empty();
	}

	private HeldNioServerSocketChannel openChannel() {
		HeldServerSocket socket;
		try {
			socket = this.heldSockets.obtain(this.key, this::bind);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not bind " + this.address, ex);
		}
		boolean parked = this.heldSockets.startsParked();
		HeldNioServerSocketChannel channel = new HeldNioServerSocketChannel(socket.getChannel(), parked,
				() -> this.heldSockets.release(socket));
		if (parked) {
			this.heldSockets.whenHandedOver(() -> channel.config().setAutoRead(true));
		}
		this.channel = channel;
		logger.debug("Netty serves on the held listening socket {}{}", this.key, parked ? " (parked)" : "");
		return channel;
	}

	/**
	 * Stop the accept loop, once the server is disposed. Not when its channel closes: Reactor
	 * Netty's {@code disposeNow} closes the channel, then waits for its close future, whose
	 * listeners run on this loop; a loop stopped in between would never run them.
	 */
	synchronized void stopAcceptLoop() {
		EventLoopGroup loop = this.acceptLoop;
		if (loop != null) {
			loop.shutdownGracefully(0, 1, TimeUnit.SECONDS);
		}
	}

	private ServerSocketChannel bind() throws IOException {
		ServerSocketChannel channel = ServerSocketChannel.open();
		try {
			channel.setOption(StandardSocketOptions.SO_REUSEADDR, true);
			channel.bind(this.address, NetUtil.SOMAXCONN);
			return channel;
		}
		catch (IOException ex) {
			channel.close();
			throw ex;
		}
	}

	/**
	 * Stop taking connections off the backlog, and return once the accept loop has seen it.
	 */
	void stopAccepting() {
		HeldNioServerSocketChannel channel = this.channel;
		if (channel == null || !channel.isRegistered()) {
			return;
		}
		channel.config().setAutoRead(false);
		// tasks run in order on the channel's loop: once ours ran, the read interest is gone
		try {
			channel.eventLoop().submit(() -> {
			}).await(1, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/**
	 * Return the connections the server has open.
	 * @return the open connections
	 */
	long openConnections() {
		HeldNioServerSocketChannel channel = this.channel;
		return (channel != null) ? channel.openConnections() : 0;
	}

}
