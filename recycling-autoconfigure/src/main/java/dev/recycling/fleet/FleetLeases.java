package dev.recycling.fleet;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;

import javax.sql.DataSource;

import net.javacrumbs.shedlock.core.LockConfiguration;
import net.javacrumbs.shedlock.core.LockProvider;
import net.javacrumbs.shedlock.core.SimpleLock;
import net.javacrumbs.shedlock.provider.jdbctemplate.JdbcTemplateLockProvider;
import net.javacrumbs.shedlock.provider.sql.DatabaseProduct;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The lease store of a fleet's recycle budget: ShedLock's JDBC provider on a table in the
 * database the fleet shares, with the database's clock (instances' clocks may differ) and
 * the instance (host and process) as the holder. The table is created on first use unless
 * told otherwise.
 *
 * @author recycling team
 */
public final class FleetLeases implements LockProvider {

	private static final Logger logger = LoggerFactory.getLogger(FleetLeases.class);

	private final JdbcTemplate jdbc;

	private final String table;

	private final boolean createTable;

	private volatile @Nullable LockProvider provider;

	/**
	 * Create the lease store. Nothing is read until the first lease is asked for.
	 * @param dataSource the database the fleet shares
	 * @param table the table of the leases
	 * @param createTable whether to create the table if it is missing
	 */
	public FleetLeases(DataSource dataSource, String table, boolean createTable) {
		if (!LeaseTableName.isValid(table)) {
			throw new IllegalArgumentException("Not a table name: " + table);
		}
		this.jdbc = new JdbcTemplate(dataSource);
		this.table = table;
		this.createTable = createTable;
	}

	@Override
	public Optional<SimpleLock> lock(LockConfiguration lockConfiguration) {
		return provider().lock(lockConfiguration);
	}

	// on first use, and again after a failure: a database that is down says so, not "UNKNOWN"
	private LockProvider provider() {
		LockProvider provider = this.provider;
		if (provider == null) {
			String product = this.jdbc.execute(
					(ConnectionCallback<String>) (connection) -> connection.getMetaData().getDatabaseProductName());
			if (this.createTable) {
				createTableIfMissing();
			}
			provider = new JdbcTemplateLockProvider(JdbcTemplateLockProvider.Configuration.builder()
				.withJdbcTemplate(this.jdbc)
				.withTableName(this.table)
				.withDatabaseProduct(DatabaseProduct.matchProductName(product))
				.withLockedByValue(instanceName())
				.usingDbTime()
				.build());
			this.provider = provider;
		}
		return provider;
	}

	private void createTableIfMissing() {
		try {
			this.jdbc.execute("CREATE TABLE IF NOT EXISTS " + this.table + " (name VARCHAR(64) NOT NULL PRIMARY KEY, "
					+ "lock_until TIMESTAMP NOT NULL, locked_at TIMESTAMP NOT NULL, locked_by VARCHAR(255) NOT NULL)");
		}
		catch (DataAccessException ex) {
			// two instances creating it at once: PostgreSQL may refuse the second; the lock says if it exists
			logger.debug("Could not create the table {} of the fleet's leases", this.table, ex);
		}
	}

	// the host and the process, so that instances on one host are told apart
	static String instanceName() {
		String host;
		try {
			host = InetAddress.getLocalHost().getHostName();
		}
		catch (UnknownHostException ex) {
			host = "unknown-host";
		}
		String name = host + "/" + ManagementFactory.getRuntimeMXBean().getPid();
		return (name.length() <= 255) ? name : name.substring(0, 255);
	}

}
