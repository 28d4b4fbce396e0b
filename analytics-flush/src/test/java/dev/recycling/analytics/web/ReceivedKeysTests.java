package dev.recycling.analytics.web;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import dev.recycling.analytics.cache.ApiUsageCache;
import dev.recycling.analytics.cache.ApiUsageKey;
import dev.recycling.analytics.cache.Labels;
import dev.recycling.analytics.cache.UsageCount;
import dev.recycling.analytics.cache.UsageCounter;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ReceivedKeys}: the memo gives exactly the key the headers make, and counts
 * through it are exact.
 */
class ReceivedKeysTests {

	private static final String ENVIRONMENT_KEY = ApiUsage.ENVIRONMENT_KEY_HEADER;

	private final ApiUsageCache apiUsage = new ApiUsageCache(new UsageCounter<>(1_000, System::currentTimeMillis, () -> {
	}));

	private final ReceivedKeys keys = new ReceivedKeys(this.apiUsage);

	@Test
	void theSameHeadersGetTheSameKeyObject() {
		ApiUsageKey first = this.keys.keyOf("flags", ENVIRONMENT_KEY, client("env", "web"));
		ApiUsageKey second = this.keys.keyOf("flags", ENVIRONMENT_KEY, client("env", "web"));
		assertThat(first).isEqualTo(new ApiUsageKey("flags", "api.example.com", "env", Labels.client("web", "1.0",
				"curl/8")));
		assertThat(second).isSameAs(first);
		// another handler's resource, with the same headers
		assertThat(this.keys.keyOf("evaluations", ENVIRONMENT_KEY, client("env", "web")))
			.isEqualTo(new ApiUsageKey("evaluations", "api.example.com", "env", Labels.client("web", "1.0", "curl/8")));
	}

	@Test
	void aChangeInAnyValueTheKeyIsMadeFromMakesTheKeyAgain() {
		List<Request> requests = new ArrayList<>();
		requests.add(client("env", "web"));
		requests.add(client("env", "web").with("Host", "other.example.com"));
		requests.add(client("env", "web").with(UsageRecorder.CLIENT_VERSION_HEADER, "2.0"));
		requests.add(client("env", "web").with("User-Agent", "curl/9"));
		requests.add(client("env", "mobile"));
		requests.add(client("env-2", "web"));
		requests.add(client("env", "web").without(UsageRecorder.CLIENT_NAME_HEADER));
		// without a Host header the key has the server's host, which differs between requests
		requests.add(client("env", "web").without("Host"));
		requests.add(client("env", "web").without("Host").served("b.example.com"));
		requests.add(client("env", "web").without("Host"));
		requests.add(client("env", "web").with("Host", "bad\u0000host"));
		requests.add(client("env", "web").with("Host", "bad\u0000host").served("b.example.com"));
		assertSameKeysAsWithoutMemo(requests, "flags");
		assertSameKeysAsWithoutMemo(requests, "other-resource");
	}

	@Test
	void controlCharactersAreCheckedOnEveryValueThatDiffersFromTheMemos() {
		List<Request> requests = new ArrayList<>();
		// each clean request is followed by one that differs by a control character only, which
		// trimming would remove: that one is not the clean one's key
		requests.add(client("env", "web"));
		requests.add(client("env\n", "web"));
		requests.add(client("env", "web"));
		requests.add(client("env\u0007", "web"));
		requests.add(client("env", "web\n"));
		requests.add(client("env", "web"));
		requests.add(client("env", "web").with(UsageRecorder.CLIENT_VERSION_HEADER, "1.0\r"));
		requests.add(client("env", "web").with("User-Agent", "curl/8\u0085"));
		requests.add(client("env", "web").with("Host", "api.example.com\n"));
		requests.add(client("env", "web"));
		// a tab is allowed; blank keys are not counted
		requests.add(client("env\t", "web\t(beta)"));
		requests.add(client(" ", "web"));
		requests.add(client("\t", "web"));
		requests.add(client("env", "web"));
		// values past the caps: cut, so two values that differ past the cap make equal keys
		requests.add(client("e".repeat(200) + "1", "web"));
		requests.add(client("e".repeat(200) + "2", "web"));
		requests.add(client("e".repeat(200) + "\n", "web"));
		requests.add(client("e".repeat(2000), "web"));
		requests.add(client("e".repeat(2000), "web"));
		assertSameKeysAsWithoutMemo(requests, "flags");
		assertThat(this.keys.keyOf("flags", ENVIRONMENT_KEY, client("env", "web"))).isNotNull();
		assertThat(this.keys.keyOf("flags", ENVIRONMENT_KEY, client("env\n", "web"))).isNull();
		assertThat(this.keys.keyOf("flags", ENVIRONMENT_KEY, client("env", "web").without(ENVIRONMENT_KEY))).isNull();
	}

	@Test
	void threadsOnTheSameStripesGetTheirOwnClientsKeys() throws Exception {
		int threads = 40;
		ExecutorService executor = Executors.newFixedThreadPool(threads);
		try {
			CountDownLatch start = new CountDownLatch(1);
			List<Future<Integer>> wrong = new ArrayList<>();
			for (int thread = 0; thread < threads; thread++) {
				String environmentKey = "env-" + (thread % 7);
				String name = "client-" + thread;
				ApiUsageKey expected = new ApiUsageKey("flags", "api.example.com", environmentKey,
						Labels.client(name, "1.0", "curl/8"));
				wrong.add(executor.submit(() -> {
					start.await();
					int mismatches = 0;
					for (int i = 0; i < 20_000; i++) {
						if (!expected.equals(this.keys.keyOf("flags", ENVIRONMENT_KEY, client(environmentKey, name)))) {
							mismatches++;
						}
					}
					return mismatches;
				}));
			}
			start.countDown();
			for (Future<Integer> mismatches : wrong) {
				assertThat(mismatches.get(60, TimeUnit.SECONDS)).isZero();
			}
		}
		finally {
			executor.shutdownNow();
		}
	}

	@Test
	void countsThroughTheMemosAreExactWhileDrainsRace() throws Exception {
		int threads = 12;
		int requestsPerThread = 20_000;
		ExecutorService executor = Executors.newFixedThreadPool(threads);
		try {
			CountDownLatch start = new CountDownLatch(1);
			List<Future<?>> counting = new ArrayList<>();
			for (int thread = 0; thread < threads; thread++) {
				int offset = thread;
				counting.add(executor.submit(() -> {
					start.await();
					for (int i = 0; i < requestsPerThread; i++) {
						// a thread's clients change now and then, so its stripe's memo is replaced
						this.keys.count("flags", ENVIRONMENT_KEY, client("env-" + ((i / 1000 + offset) % 3), "web"));
					}
					return null;
				}));
			}
			Map<ApiUsageKey, Long> counted = new HashMap<>();
			int drains = 0;
			start.countDown();
			// bounded: a count that cannot be placed fails the test instead of hanging it
			long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
			while (!counting.stream().allMatch(Future::isDone) && System.nanoTime() < deadline) {
				drainInto(counted);
				drains++;
			}
			for (Future<?> thread : counting) {
				thread.get(1, TimeUnit.SECONDS);
			}
			drainInto(counted);
			Map<ApiUsageKey, Long> expected = new HashMap<>();
			for (int thread = 0; thread < threads; thread++) {
				for (int i = 0; i < requestsPerThread; i++) {
					String environmentKey = "env-" + ((i / 1000 + thread) % 3);
					expected.merge(new ApiUsageKey("flags", "api.example.com", environmentKey,
							Labels.client("web", "1.0", "curl/8")), 1L, Long::sum);
				}
			}
			assertThat(drains).as("drains that raced the counting threads").isGreaterThan(5);
			assertThat(counted).isEqualTo(expected);
		}
		finally {
			executor.shutdownNow();
		}
	}

	private void drainInto(Map<ApiUsageKey, Long> counted) {
		for (UsageCount<ApiUsageKey> count : this.apiUsage.drain()) {
			counted.merge(count.key(), count.count(), Long::sum);
		}
	}

	// the keys one memo gives for the requests in turn are those each request makes on its own
	private void assertSameKeysAsWithoutMemo(List<Request> requests, String resource) {
		for (Request request : requests) {
			ApiUsageKey memoized = this.keys.keyOf(resource, ENVIRONMENT_KEY, request);
			ApiUsageKey fresh = new ReceivedKeys(this.apiUsage).keyOf(resource, ENVIRONMENT_KEY, request);
			assertThat(memoized).as("%s", request.headers).isEqualTo(fresh).isEqualTo(withoutMemo(resource, request));
		}
	}

	// the key as the filter made it before there was a memo
	private static @Nullable ApiUsageKey withoutMemo(String resource, Request request) {
		String environmentKey = ReceivedRequestUsage.usable(request.receivedHeader(ENVIRONMENT_KEY));
		if (environmentKey == null || environmentKey.isBlank()) {
			return null;
		}
		return new ApiUsageKey(resource, request.host(), environmentKey, request.clientLabels());
	}

	private static Request client(String environmentKey, String name) {
		return new Request(new HashMap<>(Map.of("Host", "api.example.com", ENVIRONMENT_KEY, environmentKey,
				UsageRecorder.CLIENT_NAME_HEADER, name, UsageRecorder.CLIENT_VERSION_HEADER, "1.0", "User-Agent",
				"curl/8")), "a.example.com");
	}

	// each request reads its headers into new strings, as a server does
	private static final class Request extends ReceivedRequestUsage {

		private final Map<String, String> headers;

		private final String server;

		Request(Map<String, String> headers, String server) {
			this.headers = headers;
			this.server = server;
		}

		Request with(String name, String value) {
			this.headers.put(name, value);
			return this;
		}

		Request without(String name) {
			this.headers.remove(name);
			return this;
		}

		Request served(String server) {
			return new Request(this.headers, server);
		}

		@Override
		@Nullable String receivedHeader(String name) {
			String value = this.headers.get(name);
			return (value != null) ? new String(value.toCharArray()) : null;
		}

		@Override
		String serverHost() {
			return new String(this.server.toCharArray());
		}

	}

}
