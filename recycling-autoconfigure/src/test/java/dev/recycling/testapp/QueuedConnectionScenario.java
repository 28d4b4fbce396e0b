package dev.recycling.testapp;

import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import dev.recycling.drain.DrainCoordinator;
import dev.recycling.restart.Recycler;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A connection that arrives while the server has stopped taking connections (a drain, a
 * sequential restart, a next generation parked on the held socket) waits in the kernel's
 * backlog: the server must not spin on it meanwhile (a selector that keeps reporting the
 * listening socket ready would burn a core for as long as the wait lasts), and the next
 * generation serves it. Run by the Jetty and Reactor Netty tests; Tomcat's held endpoint has
 * the same checks on its acceptor thread ({@code HeldSocketNioEndpointTests}).
 */
public final class QueuedConnectionScenario {

	// how long the connection waits; what the server's threads spend meanwhile is measured
	private static final Duration WAIT = Duration.ofSeconds(1);

	private QueuedConnectionScenario() {
	}

	/**
	 * Run the scenario on the test application in this JVM.
	 * @throws Exception if the client fails
	 */
	public static void aConnectionQueuedWhileNotAcceptingCostsNoCpuAndIsServedByTheNextGeneration()
			throws Exception {
		try (RecyclingApps.Running app = RecyclingApps.run()) {
			app.recycler().getContext().getBean(DrainCoordinator.class).stopAccepting();
			try (Socket waiting = new Socket(InetAddress.getLoopbackAddress(), app.port())) {
				waiting.setSoTimeout(30_000);
				Duration spent = cpuOfOtherThreadsDuring(WAIT);
				assertThat(spent).as("CPU time of the application's threads in %d ms with a connection queued",
						WAIT.toMillis())
					.isLessThan(WAIT.dividedBy(5));
				assertThat(app.recycler().recycle(Recycler.MANUAL)).isTrue();
				OutputStream out = waiting.getOutputStream();
				out.write("GET /hello HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
					.getBytes(StandardCharsets.US_ASCII));
				String response = new String(waiting.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
				assertThat(response).startsWith("HTTP/1.1 200").endsWith("hello");
			}
			app.awaitServing(2);
		}
	}

	// the CPU time every live thread but the caller spends while the caller sleeps (the JIT's
	// and the collector's threads are not Java threads and are left out)
	private static Duration cpuOfOtherThreadsDuring(Duration wait) throws InterruptedException {
		ThreadMXBean threads = ManagementFactory.getThreadMXBean();
		Map<Long, Long> before = cpuByThread(threads);
		Thread.sleep(wait.toMillis());
		Map<Long, Long> after = cpuByThread(threads);
		long spent = 0;
		for (Map.Entry<Long, Long> thread : after.entrySet()) {
			spent += thread.getValue() - before.getOrDefault(thread.getKey(), 0L);
		}
		return Duration.ofNanos(spent);
	}

	private static Map<Long, Long> cpuByThread(ThreadMXBean threads) {
		long caller = Thread.currentThread().getId();
		Map<Long, Long> cpu = new HashMap<>();
		for (long id : threads.getAllThreadIds()) {
			long time = threads.getThreadCpuTime(id);
			if (id != caller && time >= 0) {
				cpu.put(id, time);
			}
		}
		return cpu;
	}

}
