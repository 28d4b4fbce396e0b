package dev.recycling.drain;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Tests for {@link AcceptQueueReader}.
 */
class AcceptQueueReaderTests {

	// lines as Linux prints them; port 8080 is 1F90, 8081 is 1F91
	private static final List<String> TCP = List.of(
			"  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode",
			"   0: 00000000:1F90 00000000:0000 0A 00000064:00000003 00:00000000 00000000     0        0 4711 1 0000000016916c84 100 0 0 10 0",
			"   1: 0100007F:1F91 00000000:0000 0A 00000064:00000007 00:00000000 00000000     0        0 4712 1 0000000016916c85 100 0 0 10 0",
			"   2: 0100007F:1F90 0100007F:A3C2 01 00000000:00000020 00:00000000 00000000     0        0 4713 1 0000000016916c86 20 4 30 10 -1",
			"   3: 0100007F:A3C2 0100007F:1F90 06 00000000:00000000 03:00000F2B 00000000     0        0 0 3 0000000016916c87");

	private static final List<String> TCP6 = List.of(
			"  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode",
			"   0: 00000000000000000000000000000000:1F90 00000000000000000000000000000000:0000 0A 00000064:00000002 00:00000000 00000000     0        0 4721 1 0000000016916c90 100 0 0 10 0",
			"   1: 00000000000000000000000001000000:1F90 00000000000000000000000001000000:B1E4 01 00000000:00000011 00:00000000 00000000     0        0 4722 1 0000000016916c91 20 4 30 10 -1");

	@Test
	void readsTheAcceptQueueOfTheListeningSocketOnThePortOnly() {
		// the established connection on 8080 has 0x20 bytes unread: not an accept queue
		assertThat(AcceptQueueReader.queuedConnections(TCP, 8080)).isEqualTo(3);
		assertThat(AcceptQueueReader.queuedConnections(TCP, 8081)).isEqualTo(7);
		assertThat(AcceptQueueReader.queuedConnections(TCP, 9090)).isZero();
	}

	@Test
	void readsIpv6ListeningSockets() {
		assertThat(AcceptQueueReader.queuedConnections(TCP6, 8080)).isEqualTo(2);
	}

	@Test
	void sumsIpv4AndIpv6Tables(@TempDir Path directory) throws Exception {
		Path tcp = Files.write(directory.resolve("tcp"), TCP);
		Path tcp6 = Files.write(directory.resolve("tcp6"), TCP6);
		assertThat(new AcceptQueueReader(List.of(tcp, tcp6)).queuedConnections(8080)).hasValue(5);
	}

	@Test
	void unreadableTablesGiveNoAnswer(@TempDir Path directory) {
		assertThat(new AcceptQueueReader(List.of(directory.resolve("missing"))).queuedConnections(8080)).isEmpty();
	}

	@Test
	void seesConnectionsWaitingOnARealListeningSocket() throws Exception {
		AcceptQueueReader reader = new AcceptQueueReader();
		assumeTrue(Files.isReadable(Path.of("/proc/net/tcp")), "Linux only");
		List<SocketChannel> clients = new ArrayList<>();
		try (ServerSocketChannel server = ServerSocketChannel.open()) {
			server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
			int port = ((InetSocketAddress) server.getLocalAddress()).getPort();
			assertThat(reader.queuedConnections(port)).isEqualTo(OptionalLong.of(0));
			for (int i = 0; i < 3; i++) {
				clients.add(SocketChannel.open(new InetSocketAddress(InetAddress.getLoopbackAddress(), port)));
			}
			assertThat(reader.queuedConnections(port)).hasValue(3);
			server.accept().close();
			assertThat(reader.queuedConnections(port)).hasValue(2);
		}
		finally {
			for (SocketChannel client : clients) {
				client.close();
			}
		}
	}

}
