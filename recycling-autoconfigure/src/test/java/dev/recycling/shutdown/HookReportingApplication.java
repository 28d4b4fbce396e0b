package dev.recycling.shutdown;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

import dev.recycling.testapp.TestApplication;

import org.springframework.boot.SpringApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.Environment;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The test application plus two shutdown hooks, a slow endpoint and a resource closed at
 * bean destruction (standing in for a {@code DataSource}). Every step appends to
 * {@link #events} and prints a line, so a test in this JVM or a child JVM sees the order.
 */
@Configuration(proxyBeanMethods = false)
public class HookReportingApplication {

	static final Queue<String> events = new ConcurrentLinkedQueue<>();

	public static void main(String[] args) {
		SpringApplication.run(new Class<?>[] { TestApplication.class, HookReportingApplication.class }, args);
	}

	static void event(String event) {
		events.add(event);
		System.out.println("hook-test-event: " + event);
	}

	@Bean
	TrackedResource trackedResource() {
		return new TrackedResource();
	}

	@Bean
	@Order(2)
	RecyclingShutdownHook secondHook() {
		return (context) -> event("second hook generation=" + context.generation());
	}

	@Bean
	@Order(1)
	RecyclingShutdownHook firstHook(Environment environment, TrackedResource resource) {
		// the port as published once the server started; asking the server itself before it starts adds a connector
		return (context) -> event("first hook generation=" + context.generation() + " reason=" + context.reason()
				+ " server-accepts=" + accepts(environment.getRequiredProperty("local.server.port", Integer.class))
				+ " resource-closed=" + resource.closed);
	}

	private static boolean accepts(int port) {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

	@RestController
	static class SlowController {

		@GetMapping("/slow")
		String slow() throws InterruptedException {
			event("slow request started");
			Thread.sleep(1000);
			event("slow request finished");
			return "slow";
		}

	}

	static class TrackedResource implements AutoCloseable {

		volatile boolean closed;

		@Override
		public void close() {
			this.closed = true;
			event("resource closed");
		}

	}

}
