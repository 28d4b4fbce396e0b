package dev.recycling.testapp;

import java.lang.management.ClassLoadingMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import ch.qos.logback.classic.LoggerContext;
import dev.recycling.testapp.RecyclingApps.Running;
import org.slf4j.LoggerFactory;

import org.springframework.boot.context.event.ApplicationPreparedEvent;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Restarting a {@code SpringApplication} in one JVM must release the old generations
 * completely (Spring Cloud's restart endpoint is known to leak here): on either web stack.
 *
 * @author recycling team
 */
public final class LeakScenario {

	private static final int RECYCLES = 50;

	private static final int WARM_UP = 3;

	private static final int WINDOWS = 5;

	private LeakScenario() {
	}

	/**
	 * Recycle the test application 50 times (overlap) and assert: no old context or bean
	 * factory reachable, threads flat, no Logback listener left, classes not growing in
	 * every window of recycles.
	 * @param args extra application arguments
	 * @throws Exception if interrupted
	 */
	public static void fiftyRecyclesLeaveNoOldContextThreadOrClassGrowth(String... args) throws Exception {
		List<WeakReference<Object>> generations = new CopyOnWriteArrayList<>();
		ThreadMXBean threads = ManagementFactory.getThreadMXBean();
		ClassLoadingMXBean classes = ManagementFactory.getClassLoadingMXBean();
		try (Running app = RecyclingApps.run((application) -> application.addListeners((event) -> {
			if (event instanceof ApplicationPreparedEvent prepared) {
				ConfigurableApplicationContext context = prepared.getApplicationContext();
				generations.add(new WeakReference<>(context));
				generations.add(new WeakReference<>(context.getBeanFactory()));
			}
		}), args)) {
			for (int i = 0; i < WARM_UP; i++) {
				recycleOnce(app);
			}
			collectGarbage();
			int threadsBefore = threads.getThreadCount();
			int loggingListenersBefore = loggingListeners();
			int[] classesAtWindow = new int[WINDOWS + 1];
			classesAtWindow[0] = classes.getLoadedClassCount();
			for (int i = 1; i <= RECYCLES; i++) {
				recycleOnce(app);
				if (i % (RECYCLES / WINDOWS) == 0) {
					collectGarbage();
					classesAtWindow[i / (RECYCLES / WINDOWS)] = classes.getLoadedClassCount();
				}
			}
			int threadsAfter = threads.getThreadCount();
			assertThat(app.recycler().getGeneration()).isEqualTo(1 + WARM_UP + RECYCLES);
			// the default strategy: each of these recycles had two live generations for a moment
			assertThat(app.recycler().getHistory()).isNotEmpty()
				.allSatisfy((record) -> assertThat(record.strategy()).isEqualTo("overlap"));
			// everything but the current generation (its context and bean factory) is collectable
			await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
				collectGarbage();
				assertThat(generations.stream().filter((reference) -> reference.get() != null)).hasSize(2);
			});
			// Micrometer's LogbackMetrics leaves a listener, and its generation's meter registry, in
			// the Logback context that overlapping generations share
			assertThat(loggingListeners()).as("Logback context listeners after %d recycles", RECYCLES)
				.isEqualTo(loggingListenersBefore);
			assertThat(threadsAfter).as("live threads after %d recycles", RECYCLES).isLessThanOrEqualTo(threadsBefore + 2);
			// A class leak grows in every window of recycles. The JDK spins and unloads its own
			// classes in bursts (Java 25: hundreds of java.lang.invoke.LambdaForm classes at once,
			// their cache is soft), and classes loaded for the first time come once: some window
			// stays below one class per recycle.
			int[] growth = new int[WINDOWS];
			for (int window = 0; window < WINDOWS; window++) {
				growth[window] = classesAtWindow[window + 1] - classesAtWindow[window];
			}
			assertThat(Arrays.stream(growth).min().getAsInt())
				.as("fewest classes loaded by %d recycles, of the windows %s", RECYCLES / WINDOWS, Arrays.toString(growth))
				.isLessThan(RECYCLES / WINDOWS);
		}
	}

	private static void recycleOnce(Running app) throws InterruptedException {
		int generation = app.recycler().getGeneration();
		assertThat(LoopbackLoad.start(app.port(), "/hello", 1, Duration.ofSeconds(30), 3).awaitCompletion().ok())
			.isEqualTo(3);
		assertThat(app.recycler().recycle("test")).isTrue();
		await().atMost(Duration.ofSeconds(60))
			.until(() -> app.recycler().getGeneration() == generation + 1 && !app.recycler().isRecycling());
	}

	private static int loggingListeners() {
		return ((LoggerContext) LoggerFactory.getILoggerFactory()).getCopyOfListenerList().size();
	}

	private static void collectGarbage() {
		for (int i = 0; i < 3; i++) {
			System.gc();
		}
	}

}
