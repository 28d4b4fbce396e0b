package dev.recycling.benchmarks.load;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIOException;

/**
 * Tests for {@link LoadDriver}'s response reading and its guard rails. The load itself is
 * exercised by the scenarios, not by the default test run.
 */
class LoadDriverTests {

	@Test
	void refusesTargetsThatAreNotLoopback() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> LoadDriver.Options.parse(new String[] { "--url", "http://10.0.0.1:8080/" }))
			.withMessageContaining("only targets loopback");
	}

	@Test
	void acceptsLoopbackAndBoundsTheRun() throws IOException {
		LoadDriver.Options options = LoadDriver.Options
			.parse(new String[] { "--url", "http://127.0.0.1:8080/x", "--clients", "4", "--duration", "5s" });
		assertThat(options.clients).isEqualTo(4);
		assertThat(options.duration).hasSeconds(5);
		assertThatIllegalArgumentException().isThrownBy(() -> LoadDriver.Options
			.parse(new String[] { "--url", "http://127.0.0.1:8080/x", "--duration", "11m" }));
	}

	@Test
	void readsContentLengthAndChunkedResponses() throws IOException {
		assertThat(LoadDriver.readResponse(stream("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello"), false))
			.isEqualTo(200);
		assertThat(LoadDriver.readResponse(
				stream("HTTP/1.1 503 Service Unavailable\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n"),
				false))
			.isEqualTo(503);
		assertThat(LoadDriver.readResponse(stream("HTTP/1.1 200 OK\r\n\r\nuntil close"), true)).isEqualTo(200);
	}

	@Test
	void truncatedResponsesAreErrors() {
		assertThatIOException().isThrownBy(() -> LoadDriver.readResponse(stream(""), true));
		assertThatIOException().isThrownBy(() -> LoadDriver.readResponse(stream("HTTP/1.1 200 OK\r\nContent-Le"), true));
		assertThatIOException()
			.isThrownBy(() -> LoadDriver.readResponse(stream("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nhel"), true))
			.isInstanceOf(EOFException.class);
	}

	private static ByteArrayInputStream stream(String text) {
		return new ByteArrayInputStream(text.getBytes(StandardCharsets.US_ASCII));
	}

}
