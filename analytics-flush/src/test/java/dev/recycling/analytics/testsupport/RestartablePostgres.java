package dev.recycling.analytics.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.springframework.util.FileSystemUtils;

/**
 * A real PostgreSQL server of its own that a test can stop and start again, on the same
 * port and with the same data: a database that goes down and comes back.
 */
public final class RestartablePostgres implements AutoCloseable {

	private final Path dataDirectory;

	private final int port;

	private EmbeddedPostgres postgres;

	private RestartablePostgres(Path dataDirectory, int port) {
		this.dataDirectory = dataDirectory;
		this.port = port;
		this.postgres = startServer(dataDirectory, port);
	}

	/**
	 * Start a new server with an empty data directory.
	 * @return the running server
	 */
	public static RestartablePostgres start() {
		try {
			return new RestartablePostgres(Files.createTempDirectory("restartable-postgres"), freePort());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static EmbeddedPostgres startServer(Path dataDirectory, int port) {
		try {
			return EmbeddedPostgres.builder()
				.setDataDirectory(dataDirectory)
				.setCleanDataDirectory(false)
				.setPort(port)
				.setPGStartupWait(Duration.ofSeconds(60))
				.setServerConfig("fsync", "off")
				.start();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not start PostgreSQL in " + dataDirectory, ex);
		}
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

	/**
	 * Return the JDBC URL of the {@code postgres} database; it stays valid across restarts.
	 * @return the URL
	 */
	public String jdbcUrl() {
		return "jdbc:postgresql://localhost:" + this.port + "/postgres?user=postgres";
	}

	/**
	 * Stop the server, keeping its data.
	 */
	public void stop() {
		try {
			this.postgres.close();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Start the stopped server again, with its data, on its port.
	 */
	public void restart() {
		this.postgres = startServer(this.dataDirectory, this.port);
	}

	@Override
	public void close() {
		try {
			this.postgres.close();
		}
		catch (IOException ex) {
			// already stopped
		}
		FileSystemUtils.deleteRecursively(this.dataDirectory.toFile());
	}

}
