package dev.recycling.fleet;

import java.sql.Connection;
import java.sql.SQLException;

import javax.sql.DataSource;

import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.datasource.AbstractDataSource;

/**
 * The {@link DataSource} of whichever generation serves, for the leases of the fleet's
 * recycle budget: a lease is taken while one generation serves and given back once the
 * next one does, when the first one's connection pool may be closed already.
 *
 * @author recycling team
 */
public final class FleetDataSource extends AbstractDataSource {

	private volatile @Nullable DataSource current;

	/**
	 * Use a generation's data source from now on.
	 * @param dataSource the data source of the generation that starts
	 */
	public void use(DataSource dataSource) {
		synchronized (this) {
			this.current = dataSource;
		}
	}

	/**
	 * Stop using a generation's data source, unless a newer generation's is in use
	 * already.
	 * @param dataSource the data source of the generation that closes
	 */
	public void release(DataSource dataSource) {
		synchronized (this) {
			if (this.current == dataSource) {
				this.current = null;
			}
		}
	}

	@Override
	public Connection getConnection() throws SQLException {
		return current().getConnection();
	}

	@Override
	public Connection getConnection(String username, String password) throws SQLException {
		return current().getConnection(username, password);
	}

	private DataSource current() throws SQLException {
		DataSource dataSource = this.current;
		if (dataSource == null) {
			throw new SQLException("No generation is running: there is no data source for the fleet's leases");
		}
		return dataSource;
	}

}
