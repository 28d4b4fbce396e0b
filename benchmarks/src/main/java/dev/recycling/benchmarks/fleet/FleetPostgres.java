package dev.recycling.benchmarks.fleet;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * The PostgreSQL a fleet shares, from zonky's embedded binaries, on a fixed loopback port:
 * creates the database {@code fleet} and runs until the process is stopped.
 * <p>
 * Usage: {@code FleetPostgres PORT}; prints {@code ready jdbc:postgresql://...} once it
 * takes connections.
 */
public final class FleetPostgres {

	private FleetPostgres() {
	}

	public static void main(String[] args) throws Exception {
		int port = Integer.parseInt(args[0]);
		EmbeddedPostgres postgres = EmbeddedPostgres.builder()
			.setPort(port)
			.setPGStartupWait(Duration.ofSeconds(60))
			.setServerConfig("max_connections", "300")
			.start();
		Runtime.getRuntime().addShutdownHook(new Thread(() -> {
			try {
				postgres.close();
			}
			catch (Exception ex) {
				System.err.println("Could not stop PostgreSQL: " + ex);
			}
		}));
		try (Connection connection = postgres.getPostgresDatabase().getConnection();
				Statement statement = connection.createStatement()) {
			statement.execute("CREATE DATABASE fleet");
		}
		System.out.println("ready " + postgres.getJdbcUrl("postgres", "fleet"));
		new CountDownLatch(1).await();
	}

}
