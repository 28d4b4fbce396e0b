package dev.recycling.benchmarks.analytics;

import java.time.Duration;
import java.util.List;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * What the PostgreSQL benchmarks share: the embedded server, a pool on one of its databases,
 * and the figures of their rounds.
 */
final class Rounds {

	private Rounds() {
	}

	static EmbeddedPostgres startPostgres() throws Exception {
		return EmbeddedPostgres.builder().setPGStartupWait(Duration.ofSeconds(60)).start();
	}

	static HikariDataSource pool(EmbeddedPostgres postgres, String database, int size) {
		return pool(postgres.getJdbcUrl("postgres", database), size);
	}

	// as the embedded server's superuser, postgres, without a password
	static HikariDataSource pool(String jdbcUrl, int size) {
		HikariConfig config = new HikariConfig();
		config.setJdbcUrl(jdbcUrl);
		config.setUsername("postgres");
		config.setMaximumPoolSize(size);
		return new HikariDataSource(config);
	}

	static long median(List<Long> nanos) {
		List<Long> sorted = nanos.stream().sorted().toList();
		return sorted.get(sorted.size() / 2);
	}

	// "[654, 561, 694]": each round in whole milliseconds
	static String millis(List<Long> nanos) {
		return nanos.stream().map((value) -> String.valueOf(value / 1_000_000)).toList().toString();
	}

}
