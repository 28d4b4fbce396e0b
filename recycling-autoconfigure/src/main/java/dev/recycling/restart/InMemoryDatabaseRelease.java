package dev.recycling.restart;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.function.Supplier;

import javax.sql.DataSource;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Shuts down the in-memory embedded database of a closed generation, as Spring Boot's
 * devtools does on a restart.
 * <p>
 * Spring Boot gives an application without {@code spring.datasource.url} an embedded
 * database with a generated name ({@code jdbc:h2:mem:<uuid>;DB_CLOSE_DELAY=-1}): every
 * generation gets its own, and closing the connection pool does not close it, so each
 * recycle would leave one more database in the heap. Only such a database is shut down: one
 * with a fixed name is shared by the generations on purpose.
 *
 * @author recycling team
 */
public final class InMemoryDatabaseRelease {

	private static final Logger logger = LoggerFactory.getLogger(InMemoryDatabaseRelease.class);

	private static final String[] IN_MEMORY_PREFIXES = { "jdbc:h2:mem:", "jdbc:hsqldb:mem:" };

	private final String url;

	private final @Nullable String username;

	private final @Nullable String password;

	private InMemoryDatabaseRelease(String url, @Nullable String username, @Nullable String password) {
		this.url = url;
		this.username = username;
		this.password = password;
	}

	/**
	 * Return the release of a generation's database, if it is an in-memory database whose
	 * name Spring Boot generated for it.
	 * @param configuredUrl {@code spring.datasource.url}, {@code null} or empty if not set
	 * @param generatedName whether Spring Boot generates a unique name
	 * ({@code spring.datasource.generate-unique-name}, true by default)
	 * @param generatedUrl the URL Spring Boot generated, asked only when the two above say
	 * so; it may fail when there is no embedded database to generate one for
	 * @param dataSource the generation's data source, which must be on that database (an
	 * application's own {@code DataSource} bean may point elsewhere)
	 * @param username the user name
	 * @param password the password
	 * @return the release, or {@code null} if the database is not the generation's own
	 */
	public static @Nullable InMemoryDatabaseRelease of(@Nullable String configuredUrl, boolean generatedName,
			Supplier<@Nullable String> generatedUrl, DataSource dataSource, @Nullable String username,
			@Nullable String password) {
		if ((configuredUrl != null && !configuredUrl.isEmpty()) || !generatedName) {
			return null;
		}
		String url;
		try {
			url = generatedUrl.get();
		}
		catch (RuntimeException ex) {
			return null;
		}
		if (url == null || !isInMemory(url) || !database(url).equals(database(urlOf(dataSource)))) {
			return null;
		}
		return new InMemoryDatabaseRelease(url, username, password);
	}

	private static boolean isInMemory(String url) {
		String lower = url.toLowerCase(Locale.ROOT);
		for (String prefix : IN_MEMORY_PREFIXES) {
			if (lower.startsWith(prefix)) {
				return true;
			}
		}
		return false;
	}

	private static @Nullable String urlOf(DataSource dataSource) {
		try (Connection connection = dataSource.getConnection()) {
			return connection.getMetaData().getURL();
		}
		catch (SQLException ex) {
			return null;
		}
	}

	// the URL without its settings: jdbc:h2:mem:name
	private static String database(@Nullable String url) {
		if (url == null) {
			return "";
		}
		int settings = url.indexOf(';');
		return (settings >= 0) ? url.substring(0, settings) : url;
	}

	/**
	 * Shut the database down; its pool is closed by now, so this connects once more.
	 */
	public void release() {
		try (Connection connection = DriverManager.getConnection(this.url, this.username, this.password);
				Statement statement = connection.createStatement()) {
			statement.execute("SHUTDOWN");
			logger.debug("Shut down the in-memory database {} of a closed generation", this.url);
		}
		catch (SQLException ex) {
			logger.warn("Could not shut down the in-memory database {} of a closed generation: it stays in the heap",
					this.url, ex);
		}
	}

}
