package dev.recycling.restart.jetty;

import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import dev.recycling.restart.HeldServerSockets;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.junit.jupiter.api.Test;

import org.springframework.boot.jetty.JettyWebServer;
import org.springframework.boot.jetty.servlet.JettyServletWebServerFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link JettyConnectionQuiescer} on a real Jetty.
 */
class JettyConnectionQuiescerTests {

	@Test
	void aConnectionIsOpenFromItsAcceptOnNotOnlyOnceItsEndPointExists() throws Exception {
		HoldingThreadPool pool = new HoldingThreadPool();
		JettyServletWebServerFactory factory = new JettyServletWebServerFactory(0);
		factory.setThreadPool(pool);
		new JettyHeldSocketCustomizer(new HeldServerSockets(), "jetty").customize(factory);
		JettyWebServer server = (JettyWebServer) factory.getWebServer();
		server.start();
		try {
			ServerConnector connector = (ServerConnector) server.getServer().getConnectors()[0];
			try (SocketChannel client = SocketChannel.open(new InetSocketAddress("127.0.0.1", server.getPort()))) {
				// the selector took the connection off the backlog; the task creating its end point waits
				Runnable createEndPoint = pool.held.poll(10, TimeUnit.SECONDS);
				assertThat(createEndPoint).isNotNull();
				assertThat(connector.getConnectedEndPoints()).isEmpty();
				assertThat(JettyConnectionQuiescer.openConnections(connector)).isOne();
				pool.release(createEndPoint);
				client.write(ByteBuffer.wrap("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
					.getBytes(StandardCharsets.US_ASCII)));
				InputStream in = client.socket().getInputStream();
				assertThat(new String(in.readAllBytes(), StandardCharsets.US_ASCII)).startsWith("HTTP/1.1 404");
			}
			await().atMost(Duration.ofSeconds(10)).until(() -> JettyConnectionQuiescer.openConnections(connector) == 0);
		}
		finally {
			server.stop();
		}
	}

	// holds back the tasks that create the end point of an accepted connection
	static final class HoldingThreadPool extends QueuedThreadPool {

		final BlockingQueue<Runnable> held = new LinkedBlockingQueue<>();

		private volatile boolean holding = true;

		@Override
		public void execute(Runnable job) {
			if (this.holding && job.getClass().getName().endsWith("ManagedSelector$Accept")) {
				this.held.add(job);
			}
			else {
				super.execute(job);
			}
		}

		void release(Runnable job) {
			this.holding = false;
			super.execute(job);
		}

	}

}
