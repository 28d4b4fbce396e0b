package dev.recycling.analytics.task;

import java.sql.Connection;
import java.sql.SQLException;

import javax.sql.DataSource;

import com.github.kagkarlsson.scheduler.jdbc.AutodetectJdbcCustomization;
import com.github.kagkarlsson.scheduler.jdbc.DefaultJdbcCustomization;
import com.github.kagkarlsson.scheduler.jdbc.JdbcCustomization;

/**
 * How db-scheduler reads and writes the analytics task table. On H2, which db-scheduler
 * does not detect, it warns that it assumes timestamps with time zone: the analytics
 * schema for H2 has exactly those, so the assumption is stated here instead, and nothing
 * is logged in every generation.
 *
 * @author recycling team
 */
final class TaskTableCustomization {

	private TaskTableCustomization() {
	}

	static JdbcCustomization of(DataSource dataSource) {
		try (Connection connection = dataSource.getConnection()) {
			if ("H2".equals(connection.getMetaData().getDatabaseProductName())) {
				return new DefaultJdbcCustomization(false);
			}
		}
		catch (SQLException ex) {
			// db-scheduler's own detection asks again, and says what it assumes
		}
		return new AutodetectJdbcCustomization(dataSource);
	}

}
