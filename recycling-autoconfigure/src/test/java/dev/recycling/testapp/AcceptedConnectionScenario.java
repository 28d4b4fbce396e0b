package dev.recycling.testapp;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import dev.recycling.drain.ConnectionQuiescer;
import dev.recycling.drain.DrainCoordinator;
import dev.recycling.restart.Recycler;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A client that connects just before a generation closes and sends its request a moment
 * later: the server has accepted the connection but not read a request from it when the
 * close starts. The close must wait for it (within {@code recycling.drain.idle-timeout})
 * and serve it, not leave it to the graceful shutdown, which would close it unanswered. Shared
 * by the Tomcat and the Jetty tests.
 */
public final class AcceptedConnectionScenario {

	/**
	 * How long the client waits after connecting before it sends its request: longer than
	 * the close takes without the wait for accepted connections, well within the idle
	 * timeout the scenario sets.
	 */
	public static final Duration CLIENT_DELAY = Duration.ofSeconds(1);

	/**
	 * The idle timeout the scenario runs with.
	 */
	public static final String IDLE_TIMEOUT = "--recycling.drain.idle-timeout=5s";

	private AcceptedConnectionScenario() {
	}

	/**
	 * Run the scenario on a recycle of the test application in this JVM.
	 * @throws Exception if the client fails
	 */
	public static void aConnectionAcceptedBeforeARecycleIsServed() throws Exception {
		try (RecyclingApps.Running app = RecyclingApps.run(IDLE_TIMEOUT, "--recycling.drain.timeout=20s")) {
			ConfigurableApplicationContext first = app.recycler().getContext();
			List<ConnectionQuiescer> quiescers = first.getBeanProvider(ConnectionQuiescer.class).orderedStream().toList();
			long before = openConnections(quiescers);
			try (Socket client = new Socket(InetAddress.getLoopbackAddress(), app.port())) {
				client.setSoTimeout(30_000);
				// taken off the backlog by this generation, no request read yet
				await().atMost(Duration.ofSeconds(10)).until(() -> openConnections(quiescers) > before);
				assertThat(app.recycler().recycle(Recycler.MANUAL)).isTrue();
				DrainCoordinator coordinator = first.getBean(DrainCoordinator.class);
				await().atMost(Duration.ofSeconds(10)).until(coordinator::isDraining);
				String response = lateRequest(client);
				assertThat(response).startsWith("HTTP/1.1 200").containsIgnoringCase("Connection: close");
			}
			app.awaitServing(2);
		}
	}

	/**
	 * Send the request after {@link #CLIENT_DELAY} and read the whole response.
	 * @param client the connected client
	 * @return the response
	 * @throws Exception if the connection fails
	 */
	public static String lateRequest(Socket client) throws Exception {
		// the client is slow to send: this is the scenario, not a wait for the server
		Thread.sleep(CLIENT_DELAY.toMillis());
		OutputStream out = client.getOutputStream();
		out.write("GET /hello HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
		out.flush();
		return read(client.getInputStream());
	}

	private static String read(InputStream in) throws IOException {
		return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
	}

	private static long openConnections(List<ConnectionQuiescer> quiescers) {
		return quiescers.stream().mapToLong(ConnectionQuiescer::openConnections).sum();
	}

}
