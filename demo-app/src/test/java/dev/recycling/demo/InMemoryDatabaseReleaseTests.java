package dev.recycling.demo;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.UUID;

import dev.recycling.restart.InMemoryDatabaseRelease;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Which in-memory databases a closed generation releases: only the one Spring Boot
 * generated for its own {@code DataSource}.
 */
class InMemoryDatabaseReleaseTests {

	@Test
	void theGeneratedDatabaseOfTheDataSourceIsShutDown() throws SQLException {
		String url = "jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1;DB_CLOSE_ON_EXIT=FALSE";
		InMemoryDatabaseRelease release = InMemoryDatabaseRelease.of(null, true, () -> url, dataSource(url), "sa", "");
		assertThat(release).isNotNull();
		release.release();
		assertThatExceptionOfType(SQLException.class).isThrownBy(() -> open(url).close());
	}

	@Test
	void aDataSourceOfTheApplicationsOwnOnAnotherDatabaseIsLeftAlone() {
		String generated = "jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
		String own = "jdbc:h2:mem:own-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
		assertThat(InMemoryDatabaseRelease.of(null, true, () -> generated, dataSource(own), "sa", "")).isNull();
	}

	@Test
	void aConfiguredOrNamedDatabaseOrNoEmbeddedDriverIsLeftAlone() {
		String url = "jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
		assertThat(InMemoryDatabaseRelease.of(url, true, () -> url, dataSource(url), "sa", "")).isNull();
		assertThat(InMemoryDatabaseRelease.of(null, false, () -> url, dataSource(url), "sa", "")).isNull();
		assertThat(InMemoryDatabaseRelease.of(null, true, () -> {
			throw new IllegalStateException("Failed to determine suitable jdbc url");
		}, dataSource(url), "sa", "")).isNull();
	}

	private static JdbcDataSource dataSource(String url) {
		JdbcDataSource dataSource = new JdbcDataSource();
		dataSource.setURL(url);
		dataSource.setUser("sa");
		return dataSource;
	}

	private static Connection open(String url) throws SQLException {
		return DriverManager.getConnection(url + ";IFEXISTS=TRUE", "sa", "");
	}

}
