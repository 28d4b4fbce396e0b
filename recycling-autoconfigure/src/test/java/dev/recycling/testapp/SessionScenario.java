package dev.recycling.testapp;

import java.io.IOException;
import java.io.InputStream;
import java.lang.ref.WeakReference;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import dev.recycling.testapp.RecyclingApps.Running;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.event.ApplicationPreparedEvent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * HTTP sessions across recycles, with real cookies and concurrent requests of the same
 * session, shared by the Tomcat and Jetty tests.
 */
public final class SessionScenario {

	private static final int SESSIONS = 4;

	private static final int CLIENTS_PER_SESSION = 2;

	private static final int RECYCLES = 5;

	private SessionScenario() {
	}

	/**
	 * Several sessions, each used by two clients at once, through several recycles: every
	 * session keeps its cookie and its count (no request of it is lost or counted twice,
	 * whichever generation served it), the session-scoped beans are those of the current
	 * generation, and no closed generation stays reachable through a session.
	 * @param args the application's arguments (the restart strategy)
	 * @throws InterruptedException if interrupted
	 */
	public static void sessionsSurviveRecyclesUnderConcurrentRequests(String... args) throws InterruptedException {
		List<WeakReference<Object>> contexts = new CopyOnWriteArrayList<>();
		TestApplication.SessionVisits.created.set(0);
		TestApplication.SessionVisits.destroyed.set(0);
		try (Running app = RecyclingApps.run((application) -> application.addListeners((event) -> {
			if (event instanceof ApplicationPreparedEvent prepared) {
				contexts.add(new WeakReference<>(prepared.getApplicationContext()));
			}
		}), args)) {
			// used in the first generation only: its bean must not keep that generation alive
			assertThat(new SessionClient(app.port()).request()).isEqualTo(new Reply(1, 1));
			List<SessionClient> sessions = new ArrayList<>();
			for (int i = 0; i < SESSIONS; i++) {
				SessionClient session = new SessionClient(app.port());
				assertThat(session.request()).isEqualTo(new Reply(1, 1));
				sessions.add(session);
			}
			AtomicBoolean sending = new AtomicBoolean(true);
			List<Thread> clients = new ArrayList<>();
			for (SessionClient session : sessions) {
				for (int i = 0; i < CLIENTS_PER_SESSION; i++) {
					Thread client = new Thread(() -> {
						while (sending.get()) {
							session.request();
						}
					}, "session-client");
					client.start();
					clients.add(client);
				}
			}
			for (int i = 0; i < RECYCLES; i++) {
				app.recycleAndAwait();
			}
			sending.set(false);
			for (Thread client : clients) {
				client.join(Duration.ofSeconds(30).toMillis());
			}
			int generation = app.recycler().getGeneration();
			assertThat(generation).isEqualTo(1 + RECYCLES);
			for (SessionClient session : sessions) {
				assertThat(session.failures).as("failed requests").isEmpty();
				assertThat(session.newCookies).as("sessions the server started again").isEmpty();
				long answered = session.ok.get();
				// one count per answered request, whichever generation answered it
				assertThat(session.request()).isEqualTo(new Reply(answered + 1, generation));
			}
			// each session in use holds one bean of the current generation; every other one was destroyed
			assertThat(TestApplication.SessionVisits.created.get() - TestApplication.SessionVisits.destroyed.get())
				.as("session-scoped beans alive").isEqualTo(SESSIONS);
			// sessions outlive generations, the beans they held for a closed one do not
			await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
				System.gc();
				assertThat(contexts.stream().filter((reference) -> reference.get() != null)).hasSize(1);
			});
		}
	}

	/**
	 * What the application answered: the session's count after the request, and the
	 * generation of the session-scoped bean that served it.
	 *
	 * @param count the count
	 * @param beanGeneration the bean's generation
	 */
	record Reply(long count, int beanGeneration) {

	}

	/**
	 * One session: a cookie used by any number of threads.
	 */
	static final class SessionClient {

		private final int port;

		private volatile @Nullable String cookie;

		final AtomicLong ok = new AtomicLong();

		final List<String> failures = new CopyOnWriteArrayList<>();

		final List<String> newCookies = new CopyOnWriteArrayList<>();

		SessionClient(int port) {
			this.port = port;
		}

		@Nullable Reply request() {
			try {
				HttpURLConnection connection = (HttpURLConnection) URI
					.create("http://127.0.0.1:" + this.port + "/session/count")
					.toURL()
					.openConnection();
				connection.setRequestProperty("Connection", "close");
				connection.setConnectTimeout(10_000);
				connection.setReadTimeout(30_000);
				String cookie = this.cookie;
				if (cookie != null) {
					connection.setRequestProperty("Cookie", cookie);
				}
				int status = connection.getResponseCode();
				String setCookie = connection.getHeaderField("Set-Cookie");
				String body;
				try (InputStream input = (status < 400) ? connection.getInputStream() : connection.getErrorStream()) {
					body = (input != null) ? new String(input.readAllBytes(), StandardCharsets.UTF_8) : "";
				}
				if (status != 200) {
					this.failures.add(status + " " + body);
					return null;
				}
				if (setCookie != null) {
					if (cookie == null) {
						this.cookie = setCookie.split(";", 2)[0];
					}
					else {
						this.newCookies.add(setCookie);
					}
				}
				this.ok.incrementAndGet();
				String[] parts = body.trim().split(" ");
				return new Reply(Long.parseLong(parts[0]), Integer.parseInt(parts[1]));
			}
			catch (IOException | RuntimeException ex) {
				this.failures.add(ex.toString());
				return null;
			}
		}

	}

}
