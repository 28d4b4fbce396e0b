package dev.recycling.drain;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;

/**
 * Reads how many connections wait in the accept queue of a listening TCP port, from
 * Linux's {@code /proc/net/tcp} and {@code /proc/net/tcp6}: for a socket in state
 * {@code 0A} (LISTEN), {@code rx_queue} is the number of connections the kernel has
 * completed and the server has not accepted yet.
 *
 * @author recycling team
 */
public final class AcceptQueueReader {

	private static final String LISTEN = "0A";

	private final List<Path> tables;

	/**
	 * Create a reader of this machine's tables.
	 */
	public AcceptQueueReader() {
		this(List.of(Path.of("/proc/net/tcp"), Path.of("/proc/net/tcp6")));
	}

	/**
	 * Create a reader of the given tables (tests).
	 * @param tables the table files
	 */
	public AcceptQueueReader(List<Path> tables) {
		this.tables = tables;
	}

	/**
	 * Return the connections waiting in the accept queue of the listening sockets on the
	 * port, or empty where the tables cannot be read (not Linux).
	 * @param port the local port
	 * @return the queue length, summed over IPv4 and IPv6 listening sockets
	 */
	public OptionalLong queuedConnections(int port) {
		boolean readAny = false;
		long queued = 0;
		for (Path table : this.tables) {
			if (!Files.isReadable(table)) {
				continue;
			}
			try {
				queued += queuedConnections(Files.readAllLines(table), port);
				readAny = true;
			}
			catch (IOException ex) {
				// the table vanished or is unreadable: treat like a missing one
			}
		}
		return readAny ? OptionalLong.of(queued) : OptionalLong.empty();
	}

	/**
	 * Return the accept queue length of the LISTEN sockets on the port in one table.
	 * @param lines the lines of a {@code /proc/net/tcp} or {@code tcp6} table
	 * @param port the local port
	 * @return the queue length
	 */
	static long queuedConnections(List<String> lines, int port) {
		long queued = 0;
		for (String line : lines) {
			String[] fields = line.trim().split("\\s+");
			// sl local_address rem_address st tx_queue:rx_queue ...
			if (fields.length < 5 || !fields[0].endsWith(":") || !LISTEN.equals(fields[3])) {
				continue;
			}
			String local = fields[1];
			int portHex = Integer.parseInt(local.substring(local.lastIndexOf(':') + 1), 16);
			if (portHex != port) {
				continue;
			}
			String queues = fields[4];
			queued += Long.parseLong(queues.substring(queues.indexOf(':') + 1), 16);
		}
		return queued;
	}

}
