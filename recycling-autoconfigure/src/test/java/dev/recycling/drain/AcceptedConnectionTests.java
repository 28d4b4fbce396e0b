package dev.recycling.drain;

import java.net.InetAddress;
import java.net.Socket;
import java.time.Duration;

import dev.recycling.testapp.AcceptedConnectionScenario;
import dev.recycling.testapp.ChildJvm;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A connection the server accepted but whose request it has not read yet when the close
 * starts is served, on Tomcat: on a recycle in this JVM, and on SIGTERM to a real child JVM.
 * Jetty runs the same scenario in {@code JettyAcceptedConnectionTests}.
 */
class AcceptedConnectionTests {

	@Test
	void aConnectionAcceptedBeforeARecycleIsServed() throws Exception {
		AcceptedConnectionScenario.aConnectionAcceptedBeforeARecycleIsServed();
	}

	@Test
	void aConnectionAcceptedBeforeSigtermIsServed() throws Exception {
		try (ChildJvm child = ChildJvm.start(AcceptedConnectionScenario.IDLE_TIMEOUT, "--recycling.drain.timeout=20s")) {
			int port = child.awaitPort();
			AcceptQueueReader acceptQueue = new AcceptQueueReader();
			try (Socket client = new Socket(InetAddress.getLoopbackAddress(), port)) {
				client.setSoTimeout(30_000);
				// the listening socket's accept queue is empty again: the server took the connection
				await().atMost(Duration.ofSeconds(10)).until(() -> acceptQueue.queuedConnections(port).orElse(0) == 0);
				child.sigterm();
				await().atMost(Duration.ofSeconds(10)).until(() -> child.output().contains("Draining:"));
				String response = AcceptedConnectionScenario.lateRequest(client);
				assertThat(response).as(child.output()).startsWith("HTTP/1.1 200");
			}
			assertThat(child.awaitExit(Duration.ofSeconds(60))).as(child.output()).isIn(0, 143);
		}
	}

}
