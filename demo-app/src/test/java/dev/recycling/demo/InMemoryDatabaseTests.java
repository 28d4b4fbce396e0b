package dev.recycling.demo;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import dev.recycling.demo.analytics.DemoRuns;
import dev.recycling.demo.analytics.DemoRuns.Running;
import dev.recycling.restart.Recycler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.context.event.ApplicationReadyEvent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * A generation's own in-memory database (Spring Boot's default, with a generated name) is
 * shut down when the generation closes after a recycle; one with a fixed name is shared by
 * the generations and stays.
 */
class InMemoryDatabaseTests {

	private static final int RECYCLES = 3;

	@TempDir
	Path spill;

	@Test
	void theGeneratedInMemoryDatabaseOfARecycledGenerationIsShutDown() throws Exception {
		List<String> urls = runAndRecycle("--spring.datasource.url=");
		assertThat(urls).hasSize(1 + RECYCLES).doesNotHaveDuplicates();
		for (String closed : urls.subList(0, RECYCLES)) {
			assertThatExceptionOfType(SQLException.class).as(closed).isThrownBy(() -> open(closed).close());
		}
	}

	@Test
	void anInMemoryDatabaseWithAFixedNameStays() throws Exception {
		String url = "jdbc:h2:mem:kept-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
		List<String> urls = runAndRecycle("--spring.datasource.url=" + url, "--spring.datasource.username=sa");
		assertThat(urls).hasSize(1 + RECYCLES).containsOnly(url);
		try (Connection connection = open(url)) {
			assertThat(connection.isValid(1)).isTrue();
		}
	}

	// the JDBC URL of every generation, as its pool used it
	private List<String> runAndRecycle(String... args) {
		List<String> urls = new CopyOnWriteArrayList<>();
		String[] all = new String[args.length + 1];
		System.arraycopy(args, 0, all, 0, args.length);
		all[args.length] = "--recycling.analytics.spill-directory=" + this.spill;
		try (Running demo = DemoRuns.run((application) -> application.addListeners((event) -> {
			if (event instanceof ApplicationReadyEvent ready) {
				DataSource dataSource = ready.getApplicationContext().getBean(DataSource.class);
				urls.add(((HikariDataSource) dataSource).getJdbcUrl());
			}
		}), all)) {
			for (int i = 1; i <= RECYCLES; i++) {
				int next = demo.recycler().getGeneration() + 1;
				assertThat(demo.recycler().recycle(Recycler.MANUAL)).isTrue();
				await().atMost(Duration.ofSeconds(60))
					.until(() -> demo.recycler().getGeneration() == next && !demo.recycler().isRecycling());
			}
			// the current generation's database is open while it runs
			try (Connection connection = open(urls.get(urls.size() - 1))) {
				assertThat(connection.isValid(1)).isTrue();
			}
		}
		catch (SQLException ex) {
			throw new IllegalStateException(ex);
		}
		return urls;
	}

	private static Connection open(String url) throws SQLException {
		return DriverManager.getConnection(url + ";IFEXISTS=TRUE", "sa", "");
	}

}
