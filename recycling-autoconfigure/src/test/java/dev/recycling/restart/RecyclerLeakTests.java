package dev.recycling.restart;

import java.lang.management.ClassLoadingMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import ch.qos.logback.classic.LoggerContext;
import dev.recycling.testapp.LoopbackLoad;
import dev.recycling.testapp.RecyclingApps;
import dev.recycling.testapp.RecyclingApps.Running;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import org.springframework.boot.context.event.ApplicationPreparedEvent;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Restarting a {@code SpringApplication} in one JVM must release the old generations
 * completely (Spring Cloud's restart endpoint is known to leak here).
 */
class RecyclerLeakTests {

	private static final int RECYCLES = 50;

	private static final int WARM_UP = 3;

	@Test
	void fiftyRecyclesLeaveNoOldContextThreadOrClassGrowth() throws Exception {
		List<WeakReference<Object>> generations = new CopyOnWriteArrayList<>();
		ThreadMXBean threads = ManagementFactory.getThreadMXBean();
		ClassLoadingMXBean classes = ManagementFactory.getClassLoadingMXBean();
		try (Running app = RecyclingApps.run((application) -> application.addListeners((event) -> {
			if (event instanceof ApplicationPreparedEvent prepared) {
				ConfigurableApplicationContext context = prepared.getApplicationContext();
				generations.add(new WeakReference<>(context));
				generations.add(new WeakReference<>(context.getBeanFactory()));
			}
		}))) {
			for (int i = 0; i < WARM_UP; i++) {
				recycleOnce(app);
			}
			collectGarbage();
			int threadsBefore = threads.getThreadCount();
			int loggingListenersBefore = loggingListeners();
			int classesHalfway = 0;
			for (int i = 0; i < RECYCLES; i++) {
				recycleOnce(app);
				if (i == RECYCLES / 2) {
					collectGarbage();
					classesHalfway = classes.getLoadedClassCount();
				}
			}
			collectGarbage();
			int threadsAfter = threads.getThreadCount();
			int classesAfter = classes.getLoadedClassCount();
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
			// A leak grows with every recycle; classes loaded for the first time come early and
			// once. Measured over the last 25 overlapped recycles: +2 (Java 17), +10 (Java 25).
			assertThat(classesAfter - classesHalfway).as("classes loaded by the last %d recycles", RECYCLES / 2)
				.isLessThan(RECYCLES / 2);
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
