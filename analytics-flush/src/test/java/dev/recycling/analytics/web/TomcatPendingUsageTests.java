package dev.recycling.analytics.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import dev.recycling.analytics.cache.ApiUsageCache;
import dev.recycling.analytics.cache.ApiUsageKey;
import dev.recycling.analytics.cache.UsageCounter;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link TomcatPendingUsage} on a real Tomcat, with requests written byte by byte:
 * the headers compared as received give exactly the keys that the headers read as strings
 * make.
 */
class TomcatPendingUsageTests {

	private static final String ENVIRONMENT_KEY = ApiUsage.ENVIRONMENT_KEY_HEADER;

	private final ApiUsageCache apiUsage = new ApiUsageCache(new UsageCounter<>(1_000, System::currentTimeMillis, () -> {
	}));

	// the memo every request goes through: one request thread, so one stripe
	private final ReceivedKeys keys = new ReceivedKeys(this.apiUsage);

	private final BlockingQueue<Served> served = new LinkedBlockingQueue<>();

	private @Nullable Tomcat tomcat;

	private int port;

	@BeforeEach
	void startTomcat(@TempDir Path baseDir) throws LifecycleException {
		Tomcat tomcat = new Tomcat();
		tomcat.setBaseDir(baseDir.toString());
		Connector connector = new Connector();
		connector.setPort(0);
		connector.setProperty("address", "127.0.0.1");
		connector.setProperty("maxThreads", "1");
		tomcat.setConnector(connector);
		Context context = tomcat.addContext("", null);
		Tomcat.addServlet(context, "keys", new KeysServlet());
		context.addServletMappingDecoded("/*", "keys");
		tomcat.start();
		this.tomcat = tomcat;
		this.port = connector.getLocalPort();
	}

	@AfterEach
	void stopTomcat() throws LifecycleException {
		if (this.tomcat != null) {
			this.tomcat.stop();
			this.tomcat.destroy();
		}
	}

	@Test
	void onTomcatTheHeadersAreComparedAsReceived() throws Exception {
		Served served = send(client("env-1", "web"));
		assertThat(served.pending).isEqualTo(TomcatPendingUsage.class.getName());
	}

	@Test
	void theMemoGivesTheKeysTheHeadersReadAsStringsMake() throws Exception {
		List<String> requests = new ArrayList<>();
		requests.add(client("env-1", "web"));
		requests.add(client("env-1", "web"));
		// the same length, one byte apart, in each header the key is made from
		requests.add(client("env-2", "web"));
		requests.add(client("env-1", "web"));
		requests.add(client("env-1", "wen"));
		requests.add(client("env-1", "web").replace("api.example.com", "api.example.org"));
		requests.add(client("env-1", "web").replace("1.0", "1.1"));
		requests.add(client("env-1", "web").replace("curl/8", "curl/9"));
		// bytes over 127, decoded as ISO-8859-1: each its own character
		requests.add(client("env-1", "w\u00e9b"));
		requests.add(client("env-1", "w\u00e9b"));
		requests.add(client("env-1", "w\u00e8b"));
		requests.add(client("env-\u00ff", "web"));
		// a header left out, then back; names in another case; a second value of a header
		requests.add(client("env-1", "web").replace("User-Agent: curl/8\r\n", ""));
		requests.add(client("env-1", "web"));
		requests.add(client("env-1", "web").replace("X-Client-Name: web\r\n", ""));
		requests.add("GET /keys HTTP/1.1\r\nhost: api.example.com\r\nx-environment-key: env-1\r\nx-client-name: web\r\n"
				+ "x-client-version: 1.0\r\nuser-agent: curl/8\r\n");
		requests.add(client("env-1", "web") + ENVIRONMENT_KEY + ": env-2\r\n");
		requests.add(client("env-1", "web").replace(ENVIRONMENT_KEY + ": env-1\r\n", ""));
		requests.add(client("env-1", "web"));
		// a header whose name has the length of one sought, instead of it and before it
		requests.add(client("env-1", "web").replace("X-Client-Name: web\r\n", "X-Client-Namf: web\r\n"));
		requests.add(client("env-1", "web").replace("X-Client-Name: web\r\n",
				"X-Client-Namf: app\r\nX-Client-Name: web\r\n"));
		requests.add(client("env-1", "web"));
		// values with a tab inside, and with spaces around that the server trims
		requests.add(client("env\t1", "web"));
		requests.add(client("env-1", "web").replace(": env-1", ":   env-1  "));
		int uncounted = 0;
		for (String request : requests) {
			Served served = send(request);
			assertThat(served.memoized).as(request).isEqualTo(served.fresh);
			uncounted += (served.fresh != null) ? 0 : 1;
		}
		// only the request without an environment key makes no key
		assertThat(uncounted).isOne();
	}

	@Test
	void theHeadersAreComparedByteByByte() throws Exception {
		Served served = send(client("env-1", "w\u00e9b"));
		assertThat(served.equalsNameAsReceived).isTrue();
		assertThat(served.equalsNameInAnotherCase).isTrue();
		assertThat(served.equalsAnotherName).isFalse();
		assertThat(served.equalsBeyondLatin1).isFalse();
		assertThat(served.equalsAbsent).isTrue();
		assertThat(served.equalsNameListed).isTrue();
		assertThat(served.equalsAnotherNameListed).isFalse();
	}

	private Served send(String request) throws IOException, InterruptedException {
		try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), this.port)) {
			socket.setSoTimeout(30_000);
			OutputStream out = socket.getOutputStream();
			out.write(request.getBytes(StandardCharsets.ISO_8859_1));
			out.write("Connection: close\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
			out.flush();
			InputStream in = socket.getInputStream();
			String response = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
			assertThat(response).as(request).startsWith("HTTP/1.1 200");
		}
		Served served = this.served.poll(30, TimeUnit.SECONDS);
		assertThat(served).as("what the servlet saw of " + request).isNotNull();
		return served;
	}

	// a request's line and headers, ISO-8859-1 characters for its bytes, without the blank line
	private static String client(String environmentKey, String name) {
		return "GET /keys HTTP/1.1\r\nHost: api.example.com\r\n" + ENVIRONMENT_KEY + ": " + environmentKey + "\r\n"
				+ UsageRecorder.CLIENT_NAME_HEADER + ": " + name + "\r\n" + UsageRecorder.CLIENT_VERSION_HEADER
				+ ": 1.0\r\nUser-Agent: curl/8\r\n";
	}

	private record Served(String pending, @Nullable ApiUsageKey memoized, @Nullable ApiUsageKey fresh,
			boolean equalsNameAsReceived, boolean equalsNameInAnotherCase, boolean equalsAnotherName,
			boolean equalsBeyondLatin1, boolean equalsAbsent, boolean equalsNameListed,
			boolean equalsAnotherNameListed) {

	}

	private final class KeysServlet extends HttpServlet {

		@Override
		protected void service(HttpServletRequest request, HttpServletResponse response) {
			ServletPendingUsage pending = ServletPendingUsage.of(request);
			// compared before anything reads a header as a string
			boolean equalsNameAsReceived = equal(pending, UsageRecorder.CLIENT_NAME_HEADER, "w\u00e9b");
			boolean equalsNameInAnotherCase = equal(pending, "x-CLIENT-name", "w\u00e9b");
			boolean equalsAnotherName = equal(pending, UsageRecorder.CLIENT_NAME_HEADER, "w\u00e8b");
			// a character that is no byte of ISO-8859-1 (U+01E9), whose low byte is the received one's (0xE9)
			boolean equalsBeyondLatin1 = equal(pending, UsageRecorder.CLIENT_NAME_HEADER, "w\u01e9b");
			boolean equalsAbsent = equal(pending, "X-Not-Sent", null);
			ApiUsageKey memoized = TomcatPendingUsageTests.this.keys.keyOf("flags", ENVIRONMENT_KEY, pending);
			// the key made from the headers read as strings, without a memo
			ApiUsageKey fresh = new ReceivedKeys(TomcatPendingUsageTests.this.apiUsage).keyOf("flags",
					ENVIRONMENT_KEY, new ServletPendingUsage(request));
			// listing the names makes strings of them, which are compared as such
			Collections.list(request.getHeaderNames());
			boolean equalsNameListed = equal(pending, UsageRecorder.CLIENT_NAME_HEADER, "w\u00e9b");
			boolean equalsAnotherNameListed = equal(pending, "X-Client-Namf", "w\u00e9b");
			TomcatPendingUsageTests.this.served.add(new Served(pending.getClass().getName(), memoized, fresh,
					equalsNameAsReceived, equalsNameInAnotherCase, equalsAnotherName, equalsBeyondLatin1,
					equalsAbsent, equalsNameListed, equalsAnotherNameListed));
			response.setStatus(200);
		}

		private static boolean equal(ServletPendingUsage pending, String name, @Nullable String value) {
			return pending
				.receivedHeadersEqual(new ExpectedHeaders(new String[] { name }, new @Nullable String[] { value }));
		}

	}

}
