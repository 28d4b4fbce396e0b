package dev.recycling.analytics.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * One real PostgreSQL server per test JVM, started from zonky's embedded binaries.
 * <p>
 * Tests take a fresh database each ({@link #createDatabase()}) so they never see each
 * other's rows. The server stops when the JVM exits.
 */
public final class PostgresServer {

	private static final String SUPERUSER = "postgres";

	private static volatile PostgresServer shared;

	private final EmbeddedPostgres postgres;

	private final AtomicInteger databases = new AtomicInteger();

	private PostgresServer(EmbeddedPostgres postgres) {
		this.postgres = postgres;
	}

	/**
	 * Return the server of this JVM, starting it on first use.
	 * @return the running server
	 */
	public static PostgresServer shared() {
		PostgresServer server = shared;
		if (server == null) {
			synchronized (PostgresServer.class) {
				server = shared;
				if (server == null) {
					server = start();
					shared = server;
				}
			}
		}
		return server;
	}

	private static PostgresServer start() {
		try {
			// As root, zonky runs initdb and postgres in a user namespace (unshare -U).
			EmbeddedPostgres postgres = EmbeddedPostgres.builder()
				.setPGStartupWait(Duration.ofSeconds(60))
				.setServerConfig("fsync", "off")
				.setServerConfig("max_connections", "200")
				.start();
			return new PostgresServer(postgres);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not start the embedded PostgreSQL server", ex);
		}
	}

	/**
	 * Create a new, empty database on this server.
	 * @return the new database
	 */
	public PostgresDatabase createDatabase() {
		String name = "test_" + this.databases.incrementAndGet();
		try (Connection connection = this.postgres.getPostgresDatabase().getConnection();
				Statement statement = connection.createStatement()) {
			statement.execute("CREATE DATABASE " + name);
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Could not create database " + name, ex);
		}
		return new PostgresDatabase(this.postgres.getJdbcUrl(SUPERUSER, name), SUPERUSER, "",
				this.postgres.getDatabase(SUPERUSER, name));
	}

	/**
	 * Return the port the server listens on (loopback).
	 * @return the port
	 */
	public int getPort() {
		return this.postgres.getPort();
	}

	/**
	 * A database on the shared server.
	 *
	 * @param jdbcUrl the JDBC URL, including the user
	 * @param username the user name
	 * @param password the password (the embedded server trusts loopback connections)
	 * @param dataSource an unpooled data source for direct JDBC access
	 */
	public record PostgresDatabase(String jdbcUrl, String username, String password, DataSource dataSource) {

	}

}
