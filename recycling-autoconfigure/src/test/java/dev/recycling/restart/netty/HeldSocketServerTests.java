package dev.recycling.restart.netty;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.recycling.restart.HeldServerSockets;
import io.netty.channel.EventLoop;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.resources.LoopResources;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The accept loop of a server on a held socket outlives the server's channel until the server
 * is disposed: Reactor Netty's {@code disposeNow} closes the channel, then waits for its close
 * future, whose listeners run on that loop. An accept loop stopped as the channel closed once
 * left a failed generation's graceful shutdown waiting for Spring Boot's 30-second phase
 * timeout ("Failed to submit a listener notification task").
 *
 * @author recycling team
 */
class HeldSocketServerTests {

	@Test
	void aListenerAddedToTheClosedServerChannelIsNotifiedAndTheAcceptLoopStopsWhenDisposed()
			throws InterruptedException {
		LoopResources workers = LoopResources.create("held-socket-server-tests");
		HeldSocketServer loops = new HeldSocketServer(new HeldServerSockets(), "netty:test",
				new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), () -> workers);
		try {
			DisposableServer server = HttpServer.create()
				.runOn(loops, false)
				.handle((request, response) -> response.sendString(Mono.just("hello")))
				.bindNow();
			EventLoop acceptLoop = server.channel().eventLoop();
			CountDownLatch closed = new CountDownLatch(1);
			server.channel().closeFuture().addListener((future) -> closed.countDown());
			// the interleaving of disposeNow that CI met: it closes the channel, the close
			// completes (and an accept loop stopped with it terminates), then it waits for the
			// close future with a listener of its own
			server.channel().close();
			assertThat(closed.await(5, TimeUnit.SECONDS)).isTrue();
			if (acceptLoop.isShuttingDown()) {
				acceptLoop.terminationFuture().await(5, TimeUnit.SECONDS);
			}
			CountDownLatch notified = new CountDownLatch(1);
			server.channel().closeFuture().addListener((future) -> notified.countDown());
			assertThat(notified.await(5, TimeUnit.SECONDS)).as("close future's listener notified").isTrue();
			server.disposeNow(Duration.ofSeconds(5));
			// the customizer stops the loop once the context's web server has stopped
			loops.stopAcceptLoop();
			assertThat(acceptLoop.terminationFuture().await(5, TimeUnit.SECONDS)).isTrue();
		}
		finally {
			loops.stopAcceptLoop();
			workers.disposeLater(Duration.ZERO, Duration.ofSeconds(5)).block();
		}
	}

}
