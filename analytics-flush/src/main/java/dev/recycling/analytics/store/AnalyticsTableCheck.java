package dev.recycling.analytics.store;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Locale;

import javax.sql.DataSource;

import org.jspecify.annotations.Nullable;

/**
 * Tells whether the analytics tables exist, so that a database without them gets one
 * clear message instead of a failed poll every few seconds.
 *
 * @author recycling team
 */
public final class AnalyticsTableCheck {

	private final DataSource dataSource;

	/**
	 * Create a check.
	 * @param dataSource the database that should hold the tables
	 */
	public AnalyticsTableCheck(DataSource dataSource) {
		this.dataSource = dataSource;
	}

	/**
	 * Return what is missing.
	 * @return the name of the database product when the task table is missing, or
	 * {@code null} when it exists or the database cannot be asked now (it may be down:
	 * the spill takes the counts meanwhile)
	 */
	public @Nullable String missingIn() {
		try (Connection connection = this.dataSource.getConnection()) {
			DatabaseMetaData metaData = connection.getMetaData();
			for (String name : new String[] { AnalyticsTables.TASKS, AnalyticsTables.TASKS.toUpperCase(Locale.ROOT) }) {
				try (ResultSet tables = metaData.getTables(null, null, name, null)) {
					if (tables.next()) {
						return null;
					}
				}
			}
			return metaData.getDatabaseProductName();
		}
		catch (SQLException ex) {
			return null;
		}
	}

}
