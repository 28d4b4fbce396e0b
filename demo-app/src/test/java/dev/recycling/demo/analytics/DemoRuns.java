package dev.recycling.demo.analytics;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import dev.recycling.demo.DemoApplication;
import dev.recycling.restart.Recycler;
import org.apache.tomcat.util.threads.VirtualThreadExecutor;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.tomcat.TomcatWebServer;
import org.springframework.boot.web.server.WebServer;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import static org.awaitility.Awaitility.await;

/**
 * Runs the demo in this JVM the way {@code main} does, so that it recycles for real, and
 * reads its usage API.
 */
public final class DemoRuns {

	private static final JsonMapper json = JsonMapper.builder().build();

	private DemoRuns() {
	}

	/**
	 * Run the demo with the given arguments, on a random port.
	 * @param args the arguments
	 * @return the running demo
	 */
	public static Running run(String... args) {
		return run((application) -> {
		}, args);
	}

	/**
	 * Run the demo, customized before it starts, on a random port.
	 * @param customizer customizes the application
	 * @param args the arguments
	 * @return the running demo
	 */
	public static Running run(Consumer<SpringApplication> customizer, String... args) {
		List<String> all = new ArrayList<>(List.of("--server.port=0", "--spring.main.banner-mode=off",
				"--spring.jmx.enabled=false", "--management.metrics.use-global-registry=false"));
		all.addAll(List.of(args));
		SpringApplication application = new SpringApplication(DemoApplication.class);
		customizer.accept(application);
		ConfigurableApplicationContext context = application.run(all.toArray(String[]::new));
		return new Running(context.getBean(Recycler.class),
				((WebServerApplicationContext) context).getWebServer().getPort());
	}

	/**
	 * Run the demo on a fresh in-memory H2 database, spilling to the given directory.
	 * @param spill the spill directory
	 * @param args further arguments
	 * @return the running demo
	 */
	public static Running runOnFreshDatabase(Path spill, String... args) {
		return runOnFreshDatabase(spill, (application) -> {
		}, args);
	}

	/**
	 * Run the demo on a fresh in-memory H2 database, customized before it starts.
	 * @param spill the spill directory
	 * @param customizer customizes the application
	 * @param args further arguments
	 * @return the running demo
	 */
	public static Running runOnFreshDatabase(Path spill, Consumer<SpringApplication> customizer, String... args) {
		List<String> all = new ArrayList<>(List.of(
				"--spring.datasource.url=jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1",
				"--recycling.analytics.spill-directory=" + spill));
		all.addAll(List.of(args));
		return run(customizer, all.toArray(String[]::new));
	}

	/**
	 * A running demo, whatever generation it has reached.
	 *
	 * @param recycler its recycler
	 * @param port its port
	 */
	public record Running(Recycler recycler, int port) implements AutoCloseable {

		/**
		 * Get the flags of the {@code demo-production} environment, counted as one API request.
		 * @return the status code
		 * @throws IOException if the request fails
		 */
		public int flags() throws IOException {
			HttpURLConnection connection = open("/api/v1/flags");
			connection.setRequestProperty("X-Environment-Key", "demo-production");
			try {
				return connection.getResponseCode();
			}
			finally {
				connection.disconnect();
			}
		}

		/**
		 * Read the usage API.
		 * @param environment the environment key
		 * @return its answer
		 * @throws IOException if it does not answer 200
		 */
		public JsonNode usage(String environment) throws IOException {
			HttpURLConnection connection = open("/api/v1/usage?environment=" + environment);
			try (InputStream body = connection.getInputStream()) {
				return json.readTree(body);
			}
			finally {
				connection.disconnect();
			}
		}

		/**
		 * Return whether the current generation's Tomcat serves requests on virtual threads.
		 * @return whether its connector's executor is Tomcat's virtual thread executor
		 */
		public boolean servesOnVirtualThreads() {
			WebServer server = ((WebServerApplicationContext) this.recycler.getContext()).getWebServer();
			Executor executor = ((TomcatWebServer) server).getTomcat().getConnector().getProtocolHandler().getExecutor();
			return executor instanceof VirtualThreadExecutor;
		}

		private HttpURLConnection open(String path) throws IOException {
			HttpURLConnection connection = (HttpURLConnection) URI.create("http://127.0.0.1:" + this.port + path)
				.toURL()
				.openConnection();
			// an idle keep-alive connection would hold the next close for the whole drain timeout
			connection.setRequestProperty("Connection", "close");
			return connection;
		}

		/**
		 * Read the usage API until it says nothing is pending, answering 503 meanwhile if the
		 * database is down, and return that answer: its totals are complete.
		 * @param environment the environment key
		 * @return the first answer with {@code pendingBatches} 0
		 */
		public JsonNode awaitNoPendingBatches(String environment) {
			AtomicReference<JsonNode> complete = new AtomicReference<>();
			await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).ignoreExceptions().until(() -> {
				JsonNode usage = usage(environment);
				complete.set(usage);
				return usage.get("pendingBatches").asLong() == 0;
			});
			return complete.get();
		}

		@Override
		public void close() {
			await().atMost(Duration.ofSeconds(60)).until(() -> !this.recycler.isRecycling());
			ConfigurableApplicationContext context = this.recycler.getContext();
			if (context != null) {
				context.close();
			}
		}

	}

}
