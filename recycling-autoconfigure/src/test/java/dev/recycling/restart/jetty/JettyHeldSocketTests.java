package dev.recycling.restart.jetty;

import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import dev.recycling.restart.Recycler;
import dev.recycling.testapp.RecyclingApps;
import dev.recycling.testapp.RecyclingApps.Running;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.Test;

import org.springframework.boot.jetty.JettyWebServer;
import org.springframework.boot.web.server.context.WebServerApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for the Jetty behaviour {@link JettyHeldSocketCustomizer} relies on: if a Jetty
 * upgrade changes it, these fail.
 */
class JettyHeldSocketTests {

	@Test
	void connectorAcceptsThroughItsSelectorOnTheHeldChannel() {
		try (Running app = RecyclingApps.run("--server.jetty.threads.acceptors=2")) {
			ServerConnector connector = connector(app);
			assertThat(connector.getAcceptors()).isZero();
			assertThat(connector.getTransport()).isInstanceOf(ServerSocketChannel.class);
		}
	}

	@Test
	void stoppingTheConnectorLeavesTheHeldChannelOpenForTheNextGeneration() {
		try (Running app = RecyclingApps.run()) {
			ServerConnector first = connector(app);
			ServerSocketChannel channel = (ServerSocketChannel) first.getTransport();
			app.recycler().recycle(Recycler.MANUAL);
			await().atMost(Duration.ofSeconds(60))
				.until(() -> app.recycler().getGeneration() == 2 && !app.recycler().isRecycling());
			assertThat(first.isStopped()).isTrue();
			assertThat(channel.isOpen()).isTrue();
			ServerConnector second = connector(app);
			assertThat(second).isNotSameAs(first);
			assertThat(second.getTransport()).isSameAs(channel);
		}
	}

	@Test
	void connectionQueuedWhileNotAcceptingIsServedAfterTheRestart() throws Exception {
		try (Running app = RecyclingApps.run()) {
			new JettyConnectionQuiescer(app.recycler().getContext()).stopAccepting();
			try (SocketChannel waiting = SocketChannel.open(new InetSocketAddress("127.0.0.1", app.port()))) {
				assertThat(connector(app).getConnectedEndPoints()).isEmpty();
				app.recycler().recycle(Recycler.MANUAL);
				waiting.write(ByteBuffer.wrap("GET /hello HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
					.getBytes(StandardCharsets.US_ASCII)));
				InputStream in = waiting.socket().getInputStream();
				String response = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
				assertThat(response).startsWith("HTTP/1.1 200").endsWith("hello");
				assertThat(app.recycler().getGeneration()).isEqualTo(2);
			}
		}
	}

	private static ServerConnector connector(Running app) {
		WebServerApplicationContext context = (WebServerApplicationContext) app.recycler().getContext();
		return (ServerConnector) ((JettyWebServer) context.getWebServer()).getServer().getConnectors()[0];
	}

}
