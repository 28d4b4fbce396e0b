package dev.recycling.analytics.testsupport;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import dev.recycling.analytics.testsupport.PostgresServer.PostgresDatabase;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link PostgresServer}: a real PostgreSQL answers real queries.
 */
class PostgresServerTests {

	@Test
	void serverAnswersQueriesOverJdbc() throws SQLException {
		PostgresDatabase database = PostgresServer.shared().createDatabase();
		try (Connection connection = database.dataSource().getConnection();
				Statement statement = connection.createStatement()) {
			try (ResultSet version = statement.executeQuery("SELECT version()")) {
				assertThat(version.next()).isTrue();
				assertThat(version.getString(1)).startsWith("PostgreSQL");
			}
			statement.execute("CREATE TABLE counts (name text PRIMARY KEY, total bigint NOT NULL)");
			statement.execute("INSERT INTO counts VALUES ('flags', 2) ON CONFLICT (name) DO UPDATE SET total = counts.total + excluded.total");
			statement.execute("INSERT INTO counts VALUES ('flags', 3) ON CONFLICT (name) DO UPDATE SET total = counts.total + excluded.total");
			try (ResultSet total = statement.executeQuery("SELECT total FROM counts WHERE name = 'flags'")) {
				assertThat(total.next()).isTrue();
				assertThat(total.getLong(1)).isEqualTo(5);
			}
		}
	}

	@Test
	void eachDatabaseIsIsolated() throws SQLException {
		PostgresServer server = PostgresServer.shared();
		PostgresDatabase first = server.createDatabase();
		PostgresDatabase second = server.createDatabase();
		try (Connection connection = first.dataSource().getConnection();
				Statement statement = connection.createStatement()) {
			statement.execute("CREATE TABLE only_here (id int)");
		}
		try (Connection connection = second.dataSource().getConnection();
				Statement statement = connection.createStatement();
				ResultSet tables = statement.executeQuery(
						"SELECT count(*) FROM information_schema.tables WHERE table_name = 'only_here'")) {
			assertThat(tables.next()).isTrue();
			assertThat(tables.getInt(1)).isZero();
		}
		assertThat(first.jdbcUrl()).isNotEqualTo(second.jdbcUrl()).contains("localhost:" + server.getPort());
	}

}
