package dev.recycling.restart.netty;

import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.util.ArrayList;
import java.util.List;

import dev.recycling.testapp.RecyclingApps;
import dev.recycling.testapp.RecyclingApps.Running;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * WebFlux sessions survive recycles with both strategies: the session cookie of one
 * generation finds its session, and its attributes, in the next.
 *
 * @author recycling team
 */
class NettySessionTests {

	private static final int RECYCLES = 3;

	@ParameterizedTest
	@ValueSource(strings = { "overlap", "sequential" })
	void aSessionKeepsItsAttributesAcrossRecycles(String strategy) throws Exception {
		try (Running app = RecyclingApps.run("--recycling.restart.strategy=" + strategy)) {
			CookieManager cookies = new CookieManager();
			HttpClient client = HttpClient.newBuilder().cookieHandler(cookies).build();
			HttpRequest count = HttpRequest
				.newBuilder(URI.create("http://127.0.0.1:" + app.port() + "/session/count"))
				.build();
			List<String> answers = new ArrayList<>();
			for (int generation = 1; generation <= RECYCLES + 1; generation++) {
				answers.add(client.send(count, BodyHandlers.ofString()).body());
				answers.add(client.send(count, BodyHandlers.ofString()).body());
				if (generation <= RECYCLES) {
					app.recycleAndAwait();
				}
			}
			assertThat(answers).containsExactly("1 1", "2 1", "3 2", "4 2", "5 3", "6 3", "7 4", "8 4");
			assertThat(cookies.getCookieStore().getCookies()).hasSize(1);
		}
	}

}
