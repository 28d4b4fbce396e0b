package dev.recycling.analytics.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP proxy on loopback in front of a database that can be made to hang: connections stay
 * open, but no byte goes through until it is resumed. A JDBC call in flight then blocks on its
 * socket, as it does when a database host freezes or a network path black-holes packets, and
 * unlike a stopped database it ignores interrupts.
 */
public final class HangingProxy implements AutoCloseable {

	private final ServerSocket server;

	private final InetSocketAddress target;

	private final List<Socket> sockets = new CopyOnWriteArrayList<>();

	private final Object gate = new Object();

	private boolean hanging;

	private volatile boolean closed;

	private HangingProxy(InetSocketAddress target) throws IOException {
		this.target = target;
		this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
		Thread acceptor = new Thread(this::accept, "hanging-proxy-acceptor");
		acceptor.setDaemon(true);
		acceptor.start();
	}

	/**
	 * Start a proxy to a server on loopback.
	 * @param port the server's port
	 * @return the proxy
	 */
	public static HangingProxy to(int port) {
		try {
			return new HangingProxy(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Return the proxy's port.
	 * @return the port
	 */
	public int port() {
		return this.server.getLocalPort();
	}

	/**
	 * Stop passing bytes, on open and new connections alike.
	 */
	public void hang() {
		synchronized (this.gate) {
			this.hanging = true;
		}
	}

	/**
	 * Pass bytes again.
	 */
	public void resume() {
		synchronized (this.gate) {
			this.hanging = false;
			this.gate.notifyAll();
		}
	}

	/**
	 * Close the proxy and every connection through it: a call blocked on one fails.
	 */
	@Override
	public void close() {
		this.closed = true;
		resume();
		closeQuietly(this.server);
		this.sockets.forEach(HangingProxy::closeQuietly);
	}

	private void accept() {
		while (!this.closed) {
			try {
				Socket client = this.server.accept();
				this.sockets.add(client);
				Thread connector = new Thread(() -> connect(client), "hanging-proxy-connection");
				connector.setDaemon(true);
				connector.start();
			}
			catch (IOException ex) {
				return;
			}
		}
	}

	private void connect(Socket client) {
		try {
			awaitPassing();
			Socket upstream = new Socket(this.target.getAddress(), this.target.getPort());
			this.sockets.add(upstream);
			pump(client, upstream);
			pump(upstream, client);
		}
		catch (IOException | InterruptedException ex) {
			closeQuietly(client);
		}
	}

	private void pump(Socket from, Socket to) throws IOException {
		InputStream in = from.getInputStream();
		OutputStream out = to.getOutputStream();
		Thread pump = new Thread(() -> {
			byte[] buffer = new byte[16 * 1024];
			try {
				int read;
				while ((read = in.read(buffer)) >= 0) {
					awaitPassing();
					out.write(buffer, 0, read);
					out.flush();
				}
			}
			catch (IOException | InterruptedException ex) {
				// closed
			}
			finally {
				closeQuietly(from);
				closeQuietly(to);
			}
		}, "hanging-proxy-pump");
		pump.setDaemon(true);
		pump.start();
	}

	private void awaitPassing() throws InterruptedException {
		synchronized (this.gate) {
			while (this.hanging) {
				this.gate.wait();
			}
		}
	}

	private static void closeQuietly(AutoCloseable closeable) {
		try {
			closeable.close();
		}
		catch (Exception ex) {
			// already closed
		}
	}

}
