package dev.recycling.restart.tomcat;

import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;

import dev.recycling.restart.HeldServerSocket;
import dev.recycling.restart.HeldServerSockets;
import dev.recycling.restart.Recycler;
import dev.recycling.testapp.RecyclingApps;
import dev.recycling.testapp.RecyclingApps.Running;
import org.apache.catalina.connector.Connector;
import org.junit.jupiter.api.Test;

import org.springframework.boot.tomcat.TomcatWebServer;
import org.springframework.boot.web.server.context.WebServerApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for the Tomcat internals {@link HeldSocketNioEndpoint} relies on: if a Tomcat
 * upgrade changes them, these fail.
 */
class HeldSocketNioEndpointTests {

	@Test
	void connectorUsesTheHeldSocketProtocol() {
		try (Running app = RecyclingApps.run()) {
			Connector connector = connector(app);
			assertThat(connector.getProtocolHandler()).isInstanceOf(HeldSocketHttp11NioProtocol.class);
			assertThat(((HeldSocketHttp11NioProtocol) connector.getProtocolHandler()).getHeldSocketEndpoint()
				.isHoldingSocket()).isTrue();
		}
	}

	@Test
	void theSameListeningChannelServesEveryGeneration() {
		try (Running app = RecyclingApps.run()) {
			HeldSocketNioEndpoint first = endpoint(app);
			Object channel = first.getServerSocket();
			java.io.File baseDirectory = tomcat(app).getServer().getCatalinaBase();
			assertThat(channel).isInstanceOf(ServerSocketChannel.class);
			app.recycler().recycle(Recycler.MANUAL);
			await().atMost(Duration.ofSeconds(60))
				.until(() -> app.recycler().getGeneration() == 2 && !app.recycler().isRecycling());
			HeldSocketNioEndpoint second = endpoint(app);
			assertThat(second).isNotSameAs(first);
			assertThat(second.getServerSocket()).isSameAs(channel);
			assertThat(((ServerSocketChannel) channel).isOpen()).isTrue();
			// no new temporary base directory per restart
			assertThat(tomcat(app).getServer().getCatalinaBase()).isEqualTo(baseDirectory);
		}
	}

	@Test
	void connectionQueuedWhileNotAcceptingIsServedAfterTheRestart() throws Exception {
		try (Running app = RecyclingApps.run()) {
			endpoint(app).stopAccepting();
			// connects (the kernel completes the handshake) but waits in the backlog
			try (SocketChannel waiting = SocketChannel.open(new InetSocketAddress("127.0.0.1", app.port()))) {
				await().atMost(Duration.ofSeconds(5)).until(() -> endpoint(app).openConnections() == 0);
				app.recycler().recycle(Recycler.MANUAL);
				assertThat(get(waiting)).startsWith("HTTP/1.1 200").endsWith("hello");
				assertThat(app.recycler().getGeneration()).isEqualTo(2);
			}
		}
	}

	@Test
	void acceptorWithAcceptingStoppedDoesNotSpinOnWaitingConnections() throws Exception {
		try (Running app = RecyclingApps.run()) {
			HeldSocketNioEndpoint endpoint = endpoint(app);
			endpoint.stopAccepting();
			try (SocketChannel waiting = SocketChannel.open(new InetSocketAddress("127.0.0.1", app.port()))) {
				Thread acceptor = acceptorThread(endpoint);
				ThreadMXBean threads = ManagementFactory.getThreadMXBean();
				long cpuBefore = threads.getThreadCpuTime(acceptor.getId());
				long start = System.nanoTime();
				// the connection stays in the backlog for the next generation; measure what the
				// parked acceptor spends meanwhile
				Thread.sleep(1000);
				long cpu = threads.getThreadCpuTime(acceptor.getId()) - cpuBefore;
				long elapsed = System.nanoTime() - start;
				assertThat(cpu).as("acceptor CPU time in %d ms", elapsed / 1_000_000).isLessThan(elapsed / 10);
				assertThat(endpoint.openConnections()).isZero();
				endpoint.startAccepting();
				assertThat(get(waiting)).startsWith("HTTP/1.1 200").endsWith("hello");
			}
		}
	}

	@Test
	void connectionHandedOverWakesTheWaitingAcceptor() throws Exception {
		try (Running app = RecyclingApps.run();
				ServerSocketChannel elsewhere = ServerSocketChannel.open()
					.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
				SocketChannel client = SocketChannel.open(elsewhere.getLocalAddress())) {
			HeldSocketNioEndpoint endpoint = endpoint(app);
			HeldServerSocket held = endpoint.heldSocket();
			assertThat(held).isNotNull();
			Thread acceptor = acceptorThread(endpoint);
			// the acceptor waits on its selector, with nothing in the backlog
			await().atMost(Duration.ofSeconds(5)).until(() -> isSelecting(acceptor));
			long start = System.nanoTime();
			held.handOff(elsewhere.accept());
			String response = get(client);
			long millis = (System.nanoTime() - start) / 1_000_000;
			assertThat(response).startsWith("HTTP/1.1 200").endsWith("hello");
			assertThat(millis).as("handed-off connection served after %d ms", millis).isLessThan(1000);
		}
	}

	@Test
	void connectionTakenWhileStoppingIsHandedToTheNextGeneration() throws Exception {
		HeldServerSockets sockets = new HeldServerSockets();
		HeldSocketNioEndpoint endpoint = new HeldSocketNioEndpoint();
		endpoint.setHeldSockets(sockets, "tomcat");
		endpoint.setPort(0);
		endpoint.setAddress(java.net.InetAddress.getLoopbackAddress());
		endpoint.setName("test");
		endpoint.initServerSocket();
		HeldServerSocket held = sockets.obtain("tomcat:" + new InetSocketAddress(
				java.net.InetAddress.getLoopbackAddress(), 0), () -> {
					throw new AssertionError("already bound");
				});
		int port = ((InetSocketAddress) held.getChannel().getLocalAddress()).getPort();
		try (SocketChannel client = SocketChannel.open(new InetSocketAddress("127.0.0.1", port))) {
			SocketChannel accepted = null;
			while (accepted == null) {
				accepted = held.getChannel().accept();
			}
			// not running: the acceptor would be stopping, so the connection must survive
			endpoint.destroySocket(accepted);
			assertThat(accepted.isOpen()).isTrue();
			assertThat(held.pollHandedOff()).isSameAs(accepted);
			accepted.close();
		}
		finally {
			// ours and the endpoint's: the socket closes when nobody uses it
			sockets.release(held);
			assertThat(held.getChannel().isOpen()).isTrue();
			sockets.release(held);
		}
		assertThat(held.getChannel().isOpen()).isFalse();
	}

	private static String get(SocketChannel connection) throws Exception {
		connection.write(ByteBuffer
			.wrap("GET /hello HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII)));
		InputStream in = connection.socket().getInputStream();
		return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
	}

	private static Thread acceptorThread(HeldSocketNioEndpoint endpoint) {
		String name = endpoint.getName() + "-Acceptor";
		return Thread.getAllStackTraces()
			.keySet()
			.stream()
			.filter((thread) -> thread.getName().equals(name))
			.findFirst()
			.orElseThrow(() -> new AssertionError("no thread " + name));
	}

	private static boolean isSelecting(Thread thread) {
		return Arrays.stream(thread.getStackTrace())
			.anyMatch((frame) -> frame.getMethodName().equals("select")
					&& frame.getClassName().startsWith("sun.nio.ch."));
	}

	private static HeldSocketNioEndpoint endpoint(Running app) {
		return ((HeldSocketHttp11NioProtocol) connector(app).getProtocolHandler()).getHeldSocketEndpoint();
	}

	private static Connector connector(Running app) {
		return tomcat(app).getConnector();
	}

	private static org.apache.catalina.startup.Tomcat tomcat(Running app) {
		WebServerApplicationContext context = (WebServerApplicationContext) app.recycler().getContext();
		return ((TomcatWebServer) context.getWebServer()).getTomcat();
	}

}
