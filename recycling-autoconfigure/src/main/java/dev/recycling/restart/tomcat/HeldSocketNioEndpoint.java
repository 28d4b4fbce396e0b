package dev.recycling.restart.tomcat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.NetworkChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

import dev.recycling.restart.HeldServerSocket;
import dev.recycling.restart.HeldServerSockets;
import org.apache.tomcat.util.net.NioEndpoint;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tomcat's NIO endpoint on a listening socket held across restarts.
 * <p>
 * Relies on these protected extension points of {@link NioEndpoint} (Tomcat 11), covered by
 * {@code HeldSocketNioEndpointTests}: {@code initServerSocket()} to take the held socket
 * instead of binding one, {@code getServerSocket()} for the local port,
 * {@code serverSocketAccept()} for a non-blocking accept, {@code unlockAccept()} to wake it,
 * {@code doCloseServerSocket()} to release instead of close, and {@code destroySocket()},
 * which the acceptor calls for a connection it took while the endpoint was stopping.
 * <p>
 * Stock Tomcat blocks in {@code accept()} and wakes the acceptor on pause with a dummy
 * connection; whatever it then takes off the backlog, often a real client, is closed. Here
 * the acceptor never blocks in {@code accept()}: it checks the endpoint's state before each
 * non-blocking accept and waits on a selector in between. A connection taken in the
 * remaining race window is handed to the next generation, never closed.
 * <p>
 * The selector wakes only for work: a connection in the backlog while accepting, a
 * connection handed over by the other generation, or a change of state (accepting stopped
 * or started, pause, stop). With accepting stopped it does not watch the backlog at all, so
 * connections that wait there for the next generation do not make the acceptor spin.
 *
 * @author recycling team
 */
public class HeldSocketNioEndpoint extends NioEndpoint {

	private static final Logger logger = LoggerFactory.getLogger(HeldSocketNioEndpoint.class);

	// every change of state wakes the selector; the timeout only bounds a missed wake-up
	private static final long SELECT_TIMEOUT_MILLIS = 5000;

	private volatile @Nullable HeldServerSockets heldSockets;

	private volatile String server = "tomcat";

	private volatile @Nullable HeldServerSocket held;

	private volatile @Nullable Selector acceptSelector;

	private volatile @Nullable SelectionKey acceptKey;

	private final Runnable handOffListener = this::wakeAcceptor;

	private volatile boolean acceptingStopped;

	private volatile boolean unlockRequested;

	private volatile boolean acceptorParked;

	void setHeldSockets(HeldServerSockets heldSockets, String server) {
		this.heldSockets = heldSockets;
		this.server = server;
	}

	@Override
	protected void initServerSocket() throws Exception {
		HeldServerSockets sockets = this.heldSockets;
		if (sockets == null || getUseInheritedChannel() || getUnixDomainSocketPath() != null) {
			logger.debug("Not holding the listening socket of {}: binding it the usual way", getName());
			super.initServerSocket();
			return;
		}
		InetSocketAddress address = new InetSocketAddress(getAddress(), getPortWithOffset());
		HeldServerSocket socket = sockets.obtain(this.server + ":" + address, () -> bind(address));
		ServerSocketChannel channel = socket.getChannel();
		channel.configureBlocking(false);
		Selector selector = Selector.open();
		this.acceptKey = channel.register(selector, SelectionKey.OP_ACCEPT);
		this.acceptSelector = selector;
		this.held = socket;
		socket.addHandOffListener(this.handOffListener);
		this.unlockRequested = false;
		// a next generation starting next to a serving one attaches now and accepts at the handover
		boolean parked = sockets.startsParked();
		this.acceptingStopped = parked;
		if (parked) {
			sockets.whenHandedOver(this::startAccepting);
		}
	}

	private ServerSocketChannel bind(InetSocketAddress address) throws IOException {
		ServerSocketChannel channel = ServerSocketChannel.open();
		try {
			getSocketProperties().setProperties(channel.socket());
			channel.bind(address, getAcceptCount());
			return channel;
		}
		catch (IOException ex) {
			channel.close();
			throw ex;
		}
	}

	@Override
	protected @Nullable NetworkChannel getServerSocket() {
		HeldServerSocket socket = this.held;
		return (socket != null) ? socket.getChannel() : super.getServerSocket();
	}

	@Override
	@SuppressWarnings("NullAway")
	protected @Nullable SocketChannel serverSocketAccept() throws Exception {
		HeldServerSocket socket = this.held;
		Selector selector = this.acceptSelector;
		SelectionKey key = this.acceptKey;
		if (socket == null || selector == null || key == null) {
			return super.serverSocketAccept();
		}
		try {
			while (!this.unlockRequested && !isPaused() && isRunning()) {
				if (this.acceptingStopped) {
					this.acceptorParked = true;
					// the backlog is the next generation's: waiting connections must not wake us
					key.interestOps(0);
				}
				else {
					this.acceptorParked = false;
					key.interestOps(SelectionKey.OP_ACCEPT);
					// the other generation may hand one over at any time while both run
					SocketChannel handedOff = socket.pollHandedOff();
					if (handedOff != null) {
						return handedOff;
					}
					SocketChannel accepted = socket.getChannel().accept();
					if (accepted != null) {
						return accepted;
					}
				}
				selector.select(SELECT_TIMEOUT_MILLIS);
				selector.selectedKeys().clear();
			}
		}
		catch (ClosedSelectorException | CancelledKeyException ex) {
			// the socket was released while we waited: the endpoint is stopping
		}
		finally {
			this.acceptorParked = false;
		}
		// The acceptor sees the endpoint paused or stopping and passes null to destroySocket
		return null;
	}

	@Override
	protected boolean setSocketOptions(@Nullable SocketChannel socket) {
		if (socket == null) {
			// resumed between our return and the acceptor's check: nothing was accepted
			countDownConnection();
			return true;
		}
		return super.setSocketOptions(socket);
	}

	@Override
	protected void destroySocket(@Nullable SocketChannel socket) {
		HeldServerSocket heldSocket = this.held;
		if (socket == null) {
			// nothing was accepted; the acceptor's reservation went with the connection latch,
			// which pausing or stopping releases (LimitLatch.releaseAll counts it down)
			return;
		}
		if (heldSocket != null && socket.isOpen() && isStopping()) {
			countDownConnection();
			heldSocket.handOff(socket);
		}
		else {
			super.destroySocket(socket);
		}
	}

	private boolean isStopping() {
		return this.unlockRequested || isPaused() || !isRunning();
	}

	@Override
	protected void unlockAccept() {
		Selector selector = this.acceptSelector;
		if (this.held == null || selector == null) {
			super.unlockAccept();
			return;
		}
		// no dummy connection: it would take a real client off the backlog
		this.unlockRequested = true;
		selector.wakeup();
	}

	@Override
	public void resume() {
		this.unlockRequested = false;
		super.resume();
	}

	@Override
	protected void doCloseServerSocket() throws IOException {
		HeldServerSocket socket = this.held;
		HeldServerSockets sockets = this.heldSockets;
		if (socket == null || sockets == null) {
			super.doCloseServerSocket();
			return;
		}
		this.held = null;
		socket.removeHandOffListener(this.handOffListener);
		Selector selector = this.acceptSelector;
		this.acceptSelector = null;
		this.acceptKey = null;
		if (selector != null) {
			selector.close();
		}
		sockets.release(socket);
	}

	/**
	 * Stop taking connections off the backlog; they stay queued in the kernel. Returns
	 * once the acceptor will take no further connection.
	 */
	public void stopAccepting() {
		this.acceptingStopped = true;
		wakeAcceptor();
	}

	/**
	 * Start taking connections off the backlog (a parked endpoint at the handover).
	 */
	public void startAccepting() {
		this.acceptingStopped = false;
		wakeAcceptor();
	}

	private void wakeAcceptor() {
		Selector selector = this.acceptSelector;
		if (selector != null) {
			selector.wakeup();
		}
	}

	/**
	 * Return the number of connections accepted and not yet closed, not counting the
	 * acceptor's own reservation while it waits with accepting stopped.
	 * @return the open connections
	 */
	public long openConnections() {
		long count = getConnectionCount();
		if (count < 0) {
			return getConnections().size();
		}
		return count - (this.acceptorParked ? 1 : 0);
	}

	// for tests: the socket this endpoint serves, if held
	@Nullable HeldServerSocket heldSocket() {
		return this.held;
	}

	/**
	 * Return whether this endpoint serves a held listening socket.
	 * @return whether the socket is held
	 */
	public boolean isHoldingSocket() {
		return this.held != null;
	}

}
