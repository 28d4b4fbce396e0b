package dev.recycling.restart.netty;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

import dev.recycling.drain.DrainCoordinator;
import dev.recycling.testapp.RecyclingApps;
import dev.recycling.testapp.RecyclingApps.Running;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Once a generation stops taking connections, Reactor Netty answers with
 * {@code Connection: close} and closes the connection after the response, so that a
 * keep-alive client opens its next connection to the next generation.
 *
 * @author recycling team
 */
class NettyConnectionCloseTests {

	private static final byte[] REQUEST = "GET /hello HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
		.getBytes(StandardCharsets.US_ASCII);

	@Test
	void aClosingGenerationClosesKeptAliveConnectionsAfterTheirResponse() throws Exception {
		try (Running app = RecyclingApps.run(); Socket client = new Socket(InetAddress.getLoopbackAddress(), app.port())) {
			client.setSoTimeout(10_000);
			OutputStream out = client.getOutputStream();
			out.write(REQUEST);
			String first = readResponse(client.getInputStream());
			assertThat(first).startsWith("HTTP/1.1 200").endsWith("hello");
			assertThat(first.toLowerCase(Locale.ROOT)).doesNotContain("connection: close");
			app.recycler().getContext().getBean(DrainCoordinator.class).stopAccepting();
			out.write(REQUEST);
			// the server closes the connection after the response: read to the end
			String second = new String(client.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
			assertThat(second).startsWith("HTTP/1.1 200").endsWith("hello");
			assertThat(second.toLowerCase(Locale.ROOT)).contains("connection: close");
		}
	}

	// one response with a Content-Length body, leaving the connection open
	private static String readResponse(InputStream in) throws IOException {
		ByteArrayOutputStream head = new ByteArrayOutputStream();
		while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
			int next = in.read();
			if (next < 0) {
				throw new IOException("Connection closed in the response's head: " + head);
			}
			head.write(next);
		}
		String headers = head.toString(StandardCharsets.ISO_8859_1);
		int length = 0;
		for (String line : headers.split("\r\n")) {
			if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
				length = Integer.parseInt(line.substring(line.indexOf(':') + 1).trim());
			}
		}
		return headers + new String(in.readNBytes(length), StandardCharsets.ISO_8859_1);
	}

}
