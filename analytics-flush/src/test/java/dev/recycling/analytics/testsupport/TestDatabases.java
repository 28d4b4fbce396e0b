package dev.recycling.analytics.testsupport;

import java.util.UUID;
import java.util.stream.Stream;

import javax.sql.DataSource;

import dev.recycling.analytics.store.AnalyticsSchemaInitializer;
import org.h2.jdbcx.JdbcDataSource;

import org.springframework.boot.sql.init.DatabaseInitializationMode;

/**
 * Fresh databases of both supported platforms, with the analytics schema created: a
 * database of the shared embedded PostgreSQL server and an in-memory H2 database.
 */
public final class TestDatabases {

	/**
	 * The {@code @MethodSource} of tests run once per platform.
	 */
	public static final String PLATFORMS = "dev.recycling.analytics.testsupport.TestDatabases#platforms";

	private TestDatabases() {
	}

	/**
	 * Return the names of the platforms, for parameterized tests.
	 * @return the platform names
	 */
	public static Stream<String> platforms() {
		return Stream.of("postgresql", "h2");
	}

	/**
	 * Create a fresh database of a platform with the analytics tables.
	 * @param platform {@code postgresql} or {@code h2}
	 * @return the database
	 */
	public static DataSource withSchema(String platform) {
		DataSource dataSource = empty(platform);
		new AnalyticsSchemaInitializer(dataSource, DatabaseInitializationMode.ALWAYS).initializeDatabase();
		return dataSource;
	}

	/**
	 * Create a fresh, empty database of a platform.
	 * @param platform {@code postgresql} or {@code h2}
	 * @return the database
	 */
	public static DataSource empty(String platform) {
		return switch (platform) {
			case "postgresql" -> PostgresServer.shared().createDatabase().dataSource();
			case "h2" -> h2();
			default -> throw new IllegalArgumentException(platform);
		};
	}

	private static DataSource h2() {
		JdbcDataSource h2 = new JdbcDataSource();
		h2.setURL("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
		h2.setUser("sa");
		return h2;
	}

}
