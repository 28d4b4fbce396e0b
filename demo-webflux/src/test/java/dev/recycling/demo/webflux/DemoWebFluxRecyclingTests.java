package dev.recycling.demo.webflux;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import dev.recycling.restart.GenerationRecord;
import dev.recycling.restart.Recycler;
import dev.recycling.testapp.LoopbackLoad;
import dev.recycling.testapp.LoopbackLoad.Result;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The WebFlux demo recycled under load from clients on new connections and on keep-alive
 * connections: no request fails, and every answered request is counted once in the
 * database, across the recycles and the shutdown.
 */
class DemoWebFluxRecyclingTests {

	private static final int RECYCLES = 4;

	private static final String KEY = "X-Environment-Key: demo-staging\r\n";

	@TempDir
	java.nio.file.Path spill;

	@Test
	void recyclesUnderLoadLoseNoRequestAndNoCount() throws Exception {
		String database = "jdbc:h2:mem:webflux-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
		String[] args = { "--server.port=0", "--spring.datasource.url=" + database,
				"--recycling.analytics.spill-directory=" + this.spill, "--recycling.analytics.flush-interval=1s",
				"--recycling.analytics.processing.polling-interval=200ms", "--management.metrics.use-global-registry=false" };
		ConfigurableApplicationContext first = new SpringApplication(DemoWebFluxApplication.class).run(with(args,
				"--recycling.max-requests=300", "--recycling.max-requests-jitter=50"));
		Recycler recycler = first.getBean(Recycler.class);
		int port = ((WebServerApplicationContext) first).getWebServer().getPort();
		Result newConnections;
		Result keptAlive;
		try {
			LoopbackLoad load = LoopbackLoad.start(port, "/api/v1/flags", KEY, 4, Duration.ofSeconds(120), 50_000);
			LoopbackLoad keepAlive = LoopbackLoad.startKeepAlive(port, "/api/v1/flags", KEY, 2, Duration.ofSeconds(120));
			try {
				await().atMost(Duration.ofSeconds(120)).until(() -> recycler.getRecycleCount() >= RECYCLES);
			}
			finally {
				newConnections = load.stop();
				keptAlive = keepAlive.stop();
			}
		}
		finally {
			await().atMost(Duration.ofSeconds(60)).until(() -> !recycler.isRecycling());
			ConfigurableApplicationContext current = recycler.getContext();
			if (current != null) {
				current.close();
			}
		}
		assertThat(newConnections.failures()).as("failed requests, e.g. %s", newConnections.samples()).isEmpty();
		assertThat(keptAlive.failures()).as("failed keep-alive requests, e.g. %s", keptAlive.samples()).isEmpty();
		List<GenerationRecord> history = recycler.getHistory();
		assertThat(history.stream().filter((record) -> record.reason().equals("max-requests")))
			.hasSizeGreaterThanOrEqualTo(RECYCLES)
			.allSatisfy((record) -> assertThat(record.strategy()).isEqualTo("overlap"));
		// a new run applies what the last generation enqueued at shutdown
		ConfigurableApplicationContext after = new SpringApplication(DemoWebFluxApplication.class).run(args);
		try {
			await().atMost(Duration.ofSeconds(60))
				.until(() -> query(database, "select count(*) from recycling_analytics_tasks "
						+ "where task_name = 'recycling-analytics-batch'") == 0);
			assertThat(query(database, "select coalesce(sum(request_count), 0) from recycling_api_usage "
					+ "where environment_key = 'demo-staging' and resource = 'flags'"))
				.isEqualTo(newConnections.ok() + keptAlive.ok());
		}
		finally {
			after.close();
		}
	}

	private static long query(String url, String sql) throws SQLException {
		try (Connection connection = DriverManager.getConnection(url, "sa", "");
				Statement statement = connection.createStatement();
				ResultSet result = statement.executeQuery(sql)) {
			result.next();
			return result.getLong(1);
		}
	}

	private static String[] with(String[] args, String... more) {
		String[] all = new String[args.length + more.length];
		System.arraycopy(args, 0, all, 0, args.length);
		System.arraycopy(more, 0, all, args.length, more.length);
		return all;
	}

}
