package dev.recycling.analytics.store;

import java.util.List;

import javax.sql.DataSource;

import org.springframework.boot.jdbc.init.DataSourceScriptDatabaseInitializer;
import org.springframework.boot.jdbc.init.PlatformPlaceholderDatabaseDriverResolver;
import org.springframework.boot.sql.init.DatabaseInitializationMode;
import org.springframework.boot.sql.init.DatabaseInitializationSettings;
import org.springframework.core.io.DefaultResourceLoader;

/**
 * Creates the analytics tables from the schema script of the database's platform
 * ({@code schema-postgresql.sql}, {@code schema-h2.sql}), the way Spring Boot initializes
 * its own schemas: always, only for an embedded database, or never.
 *
 * @author recycling team
 */
public final class AnalyticsSchemaInitializer extends DataSourceScriptDatabaseInitializer {

	/**
	 * Where the schema scripts are, with the platform as placeholder.
	 */
	public static final String SCHEMA_LOCATION = "classpath:dev/recycling/analytics/store/schema-@@platform@@.sql";

	/**
	 * Create an initializer.
	 * @param dataSource the database
	 * @param mode when to create the tables
	 */
	public AnalyticsSchemaInitializer(DataSource dataSource, DatabaseInitializationMode mode) {
		super(dataSource, settings(dataSource, mode));
	}

	/**
	 * Nothing as the bean is created: the tables are created by {@link #initializeDatabase()}
	 * once it is known that the application records usage.
	 */
	@Override
	public void afterPropertiesSet() {
	}

	private static DatabaseInitializationSettings settings(DataSource dataSource, DatabaseInitializationMode mode) {
		DatabaseInitializationSettings settings = new DatabaseInitializationSettings();
		settings.setMode(mode);
		if (mode != DatabaseInitializationMode.NEVER) {
			// with EMBEDDED on a server database the scripts are never read, so only ALWAYS insists on one
			List<String> locations = new PlatformPlaceholderDatabaseDriverResolver().resolveAll(dataSource,
					SCHEMA_LOCATION);
			for (String location : locations) {
				if (mode == DatabaseInitializationMode.ALWAYS && !new DefaultResourceLoader().getResource(location).exists()) {
					throw new IllegalStateException("No analytics schema for this database (" + location
							+ " does not exist): recycling-starter ships schemas for PostgreSQL and H2. Create the "
							+ "tables yourself and set recycling.analytics.initialize-schema=never");
				}
			}
			settings.setSchemaLocations(locations);
		}
		return settings;
	}

}
