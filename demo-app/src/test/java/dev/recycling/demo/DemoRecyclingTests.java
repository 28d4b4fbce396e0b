package dev.recycling.demo;

import java.time.Duration;
import java.util.List;

import dev.recycling.restart.GenerationRecord;
import dev.recycling.restart.Recycler;
import dev.recycling.testapp.LoopbackLoad;
import dev.recycling.testapp.LoopbackLoad.Result;
import dev.recycling.trigger.RecycleTriggers;
import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The demo as users run it, with {@code --recycling.max-requests=200
 * --recycling.max-requests-jitter=50}, under continuous concurrent load: it recycles
 * repeatedly and no request fails.
 */
class DemoRecyclingTests {

	private static final int CLIENTS = 6;

	@Test
	void demoRecyclesRepeatedlyUnderLoadWithZeroFailedRequests() throws InterruptedException {
		ConfigurableApplicationContext first = new SpringApplication(DemoApplication.class).run("--server.port=0",
				"--spring.datasource.url=jdbc:h2:file:./target/h2/demo-recycling;DB_CLOSE_ON_EXIT=FALSE",
				"--recycling.max-requests=200", "--recycling.max-requests-jitter=50");
		Recycler recycler = first.getBean(Recycler.class);
		int port = ((WebServerApplicationContext) first).getWebServer().getPort();
		Result result;
		try {
			LoopbackLoad load = LoopbackLoad.start(port, "/api/v1/flags", "X-Environment-Key: demo-production\r\n",
					CLIENTS, Duration.ofSeconds(120), Long.MAX_VALUE);
			try {
				await().atMost(Duration.ofSeconds(120)).until(() -> recycler.getHistory().size() >= 5);
			}
			finally {
				result = load.stop();
			}
		}
		finally {
			await().atMost(Duration.ofSeconds(60)).until(() -> !recycler.isRecycling());
			ConfigurableApplicationContext current = recycler.getContext();
			if (current != null) {
				current.close();
			}
		}
		assertThat(result.failures()).as("failures, e.g. %s", result.samples()).isEmpty();
		List<GenerationRecord> recycled = recycler.getHistory()
			.stream()
			.filter((record) -> record.reason().equals(RecycleTriggers.MAX_REQUESTS))
			.toList();
		assertThat(recycled).hasSizeGreaterThanOrEqualTo(5);
		assertThat(recycled).allSatisfy((record) -> {
			assertThat(record.maxRequests()).isBetween(200L, 250L);
			// overlap, the default: the generation serves on while the next one starts, then hands over
			assertThat(record.strategy()).isEqualTo("overlap");
			assertThat(record.handedOverAt()).isNotNull();
			assertThat(record.requestsServed()).isGreaterThanOrEqualTo(record.maxRequests());
		});
		assertThat(result.ok()).isGreaterThanOrEqualTo(5 * 200);
	}

}
