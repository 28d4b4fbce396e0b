package dev.recycling.testapp;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import dev.recycling.restart.Recycler;
import dev.recycling.restart.RecyclerState;
import dev.recycling.trigger.GenerationStats;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.util.ClassUtils;

import static org.awaitility.Awaitility.await;

/**
 * Starts the {@link TestApplication} in this JVM, the way {@code main} would, and stops it
 * whatever generation it has reached.
 */
public final class RecyclingApps {

	/**
	 * The argument that runs the application's requests on virtual threads (Java 21 or later).
	 */
	public static final String VIRTUAL_THREADS = "--spring.threads.virtual.enabled=true";

	private RecyclingApps() {
	}

	/**
	 * Run the test application with the given arguments, on a random port unless given.
	 * @param args the arguments
	 * @return the running application
	 */
	public static Running run(String... args) {
		return run((application) -> {
		}, args);
	}

	/**
	 * Run the test application, customized before it starts.
	 * @param customizer customizes the application
	 * @param args the arguments
	 * @return the running application
	 */
	public static Running run(Consumer<SpringApplication> customizer, String... args) {
		List<String> all = new ArrayList<>(List.of("--server.port=0", "--spring.main.banner-mode=off",
				"--spring.jmx.enabled=false", "--management.metrics.use-global-registry=false"));
		all.addAll(List.of(args));
		SpringApplication application = new SpringApplication(
				ClassUtils.resolveClassName(ChildJvm.testApplication(), RecyclingApps.class.getClassLoader()));
		customizer.accept(application);
		ConfigurableApplicationContext context = application.run(all.toArray(String[]::new));
		return new Running(application, context.getBean(Recycler.class),
				((WebServerApplicationContext) context).getWebServer().getPort());
	}

	/**
	 * A running test application.
	 *
	 * @param application the application
	 * @param recycler its recycler
	 * @param port the port it listens on, the same in every generation
	 */
	public record Running(SpringApplication application, Recycler recycler, int port) implements AutoCloseable {

		/**
		 * Wait until a generation is serving, with no recycle under way.
		 * @param generation the generation
		 */
		public void awaitServing(int generation) {
			await().atMost(Duration.ofSeconds(60))
				.until(() -> this.recycler.getGeneration() == generation && !this.recycler.isRecycling()
						&& this.recycler.getState() == RecyclerState.SERVING);
		}

		/**
		 * Recycle now and wait until the next generation is serving.
		 */
		public void recycleAndAwait() {
			int next = this.recycler.getGeneration() + 1;
			if (!this.recycler.recycle(Recycler.MANUAL)) {
				throw new IllegalStateException("Generation " + (next - 1) + " did not accept the recycle");
			}
			awaitServing(next);
		}

		/**
		 * Probe readiness as a load balancer or kubelet does, at a regular interval: twice,
		 * 600 ms apart, so that a drain starting now waits up to three such intervals (1.8 s)
		 * for the next probe. One probe alone is a one-off check, not a watcher.
		 * @throws Exception if a probe is not answered 200
		 */
		public void watchReadiness() throws Exception {
			for (int probe = 0; probe < 2; probe++) {
				if (probe > 0) {
					// the watcher's probe period: the scenario, not a wait for the server
					Thread.sleep(600);
				}
				int status = LoopbackLoad.status(this.port, "/actuator/health/readiness");
				if (status != 200) {
					throw new IllegalStateException("Readiness answered " + status);
				}
			}
		}

		/**
		 * Wait until the current generation has counted a number of completed requests.
		 * @param requests the count
		 */
		public void awaitRequestsServed(long requests) {
			await().atMost(Duration.ofSeconds(10)).until(() -> {
				GenerationStats stats = this.recycler.getStats();
				return stats != null && stats.requestsServed() == requests;
			});
		}

		/**
		 * Wait for any recycle under way, then close the current generation.
		 */
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
