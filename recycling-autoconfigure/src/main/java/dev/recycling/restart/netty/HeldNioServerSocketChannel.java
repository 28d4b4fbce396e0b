package dev.recycling.restart.netty;

import java.net.SocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import io.netty.channel.Channel;
import io.netty.channel.socket.nio.NioServerSocketChannel;

/**
 * Netty's NIO server channel over a listening socket that outlives it: the socket is
 * already bound, so binding is skipped (the channel is active as soon as it is
 * registered), and closing the channel deregisters it from its selector and releases the
 * socket instead of closing it. It counts the connections it accepted that are still open,
 * from the moment of the accept (a connection joins Reactor Netty's channel group only once
 * its own loop has registered it).
 *
 * @author recycling team
 */
final class HeldNioServerSocketChannel extends NioServerSocketChannel {

	private final Runnable release;

	private final AtomicLong open = new AtomicLong();

	private volatile boolean closed;

	/**
	 * Create a channel.
	 * @param socket the held listening socket, bound
	 * @param parked whether to start without taking connections (the next generation
	 * starting next to a serving one): {@code config().setAutoRead(true)} starts it
	 * @param release releases the held socket once the channel is closed
	 */
	HeldNioServerSocketChannel(ServerSocketChannel socket, boolean parked, Runnable release) {
		super(socket);
		this.release = release;
		if (parked) {
			config().setAutoRead(false);
		}
	}

	@Override
	public boolean isOpen() {
		return !this.closed && super.isOpen();
	}

	@Override
	protected void doBind(SocketAddress localAddress) throws Exception {
		// bound once, when the socket was first obtained; binding again would throw
		if (!javaChannel().socket().isBound()) {
			super.doBind(localAddress);
		}
	}

	@Override
	protected int doReadMessages(List<Object> accepted) throws Exception {
		int from = accepted.size();
		int read = super.doReadMessages(accepted);
		for (int i = from; i < accepted.size(); i++) {
			if (accepted.get(i) instanceof Channel connection) {
				this.open.incrementAndGet();
				connection.closeFuture().addListener((closed) -> this.open.decrementAndGet());
			}
		}
		return read;
	}

	/**
	 * Return the connections this channel accepted that are still open.
	 * @return the open connections
	 */
	long openConnections() {
		return this.open.get();
	}

	@Override
	protected void doClose() {
		if (!this.closed) {
			this.closed = true;
			this.release.run();
		}
	}

}
