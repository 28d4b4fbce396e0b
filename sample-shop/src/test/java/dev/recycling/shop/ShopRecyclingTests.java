package dev.recycling.shop;

import java.io.IOException;
import java.lang.ref.WeakReference;
import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.recycling.analytics.store.JdbcAnalyticsStore;
import dev.recycling.analytics.web.ApiUsage;
import dev.recycling.restart.GenerationRecord;
import dev.recycling.restart.Recycler;
import org.apache.tomcat.util.threads.VirtualThreadExecutor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.event.ApplicationPreparedEvent;
import org.springframework.boot.tomcat.TomcatWebServer;
import org.springframework.boot.web.server.WebServer;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The shop recycled under its customers' traffic, with both restart strategies, and with
 * the overlap again on virtual threads (Java 21 or later; its Tomcat checked to use them): customers
 * stay logged in and keep their carts, orders written by any generation are there in every
 * later one, no request fails, the scheduled job runs in the current generation, every
 * successful call of the catalog API is in the analytics tables exactly once (counted by
 * generations that flushed at their shutdown, into the shop's own database), and no closed
 * generation (with its Hibernate, Thymeleaf and Tomcat) stays in memory.
 */
class ShopRecyclingTests {

	private static final int CUSTOMERS = 4;

	private static final int RECYCLES = 5;

	private static final Pattern CART_SIZE = Pattern.compile("<span id=\"size\">(\\d+)</span>");

	private static final Pattern ORDER_ITEMS = Pattern.compile("<span id=\"items\">(\\d+)</span>");

	private static final String PARTNER_KEY = "shop-partner";

	@ParameterizedTest(name = "{0}, virtual threads: {1}")
	@CsvSource({ "overlap, false", "sequential, false", "overlap, true" })
	void customersKeepTheirSessionsAndOrdersThroughRecycles(String strategy, boolean virtualThreads) throws Exception {
		assumeTrue(!virtualThreads || Runtime.version().feature() >= 21, "virtual threads need Java 21 or later");
		List<WeakReference<Object>> contexts = new CopyOnWriteArrayList<>();
		SpringApplication application = new SpringApplication(ShopApplication.class);
		application.addListeners((event) -> {
			if (event instanceof ApplicationPreparedEvent prepared) {
				contexts.add(new WeakReference<>(prepared.getApplicationContext()));
			}
		});
		ConfigurableApplicationContext first = application.run("--server.port=0", "--spring.main.banner-mode=off",
				"--spring.datasource.url=jdbc:h2:mem:shop-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1",
				"--recycling.max-requests=60", "--recycling.max-requests-jitter=20",
				"--recycling.restart.strategy=" + strategy, "--spring.threads.virtual.enabled=" + virtualThreads,
				"--recycling.analytics.flush-interval=1s");
		Recycler recycler = first.getBean(Recycler.class);
		int port = ((WebServerApplicationContext) first).getWebServer().getPort();
		first = null;
		List<Customer> customers = new ArrayList<>();
		try {
			for (int i = 0; i < CUSTOMERS; i++) {
				customers.add(new Customer(port, "customer-" + i));
			}
			AtomicBoolean shopping = new AtomicBoolean(true);
			List<Thread> threads = new ArrayList<>();
			for (Customer customer : customers) {
				Thread thread = new Thread(() -> customer.shop(shopping), customer.name);
				thread.start();
				threads.add(thread);
			}
			try {
				await().atMost(Duration.ofSeconds(120))
					.until(() -> recycler.getHistory().size() >= RECYCLES
							|| customers.stream().anyMatch((customer) -> !customer.failures.isEmpty()));
			}
			finally {
				shopping.set(false);
				for (Thread thread : threads) {
					thread.join(Duration.ofSeconds(30).toMillis());
				}
			}
			for (Customer customer : customers) {
				assertThat(customer.failures).as("what %s saw go wrong", customer.name).isEmpty();
			}
			assertThat(recycler.getHistory()).as("recycles").hasSizeGreaterThanOrEqualTo(RECYCLES)
				.extracting(GenerationRecord::strategy)
				.containsOnly(strategy);
			int current = recycler.getGeneration();
			for (Customer customer : customers) {
				assertThat(customer.orders).as("orders of %s", customer.name).isNotEmpty();
				// every order, placed in whichever generation, is there now
				for (long order : customer.orders) {
					assertThat(customer.orderItems(order)).as("items of order %d", order).isEqualTo(3);
				}
				assertThat(customer.failures).isEmpty();
			}
			assertThat(requestExecutor(recycler)).as("the current generation's request executor")
				.matches((executor) -> executor instanceof VirtualThreadExecutor == virtualThreads);
			await().atMost(Duration.ofSeconds(10))
				.until(() -> StockReport.runs.containsKey(current) && StockReport.runs.get(current).get() > 0);
			long catalogCalls = customers.stream().mapToLong((customer) -> customer.catalogCalls.get()).sum();
			assertThat(catalogCalls).as("successful catalog calls").isGreaterThan(0);
			JdbcAnalyticsStore store = recycler.getContext().getBean(JdbcAnalyticsStore.class);
			await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(store.totals(PARTNER_KEY).apiRequests())
				.as("catalog calls in the analytics tables").containsExactly(Map.entry("products", catalogCalls)));
			await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
				System.gc();
				assertThat(contexts.stream().filter((reference) -> reference.get() != null))
					.as("contexts still reachable: only the current generation's")
					.hasSize(1);
			});
		}
		finally {
			await().atMost(Duration.ofSeconds(60)).until(() -> !recycler.isRecycling());
			ConfigurableApplicationContext context = recycler.getContext();
			if (context != null) {
				context.close();
			}
		}
	}

	private static Executor requestExecutor(Recycler recycler) {
		WebServer server = ((WebServerApplicationContext) recycler.getContext()).getWebServer();
		return ((TomcatWebServer) server).getTomcat().getConnector().getProtocolHandler().getExecutor();
	}

	/**
	 * One customer: logs in once, then reads the catalog through the API (as a partner's
	 * application would, with an environment key), puts three products in the cart, checks
	 * the cart page each time, orders and looks at the order, again and again.
	 */
	static final class Customer {

		private final HttpClient client = HttpClient.newBuilder()
			.cookieHandler(new CookieManager())
			.followRedirects(HttpClient.Redirect.NEVER)
			.connectTimeout(Duration.ofSeconds(10))
			.build();

		private final String base;

		final String name;

		final List<String> failures = new CopyOnWriteArrayList<>();

		final List<Long> orders = new CopyOnWriteArrayList<>();

		// catalog API calls answered 200
		final AtomicLong catalogCalls = new AtomicLong();

		Customer(int port, String name) throws IOException, InterruptedException {
			this.base = "http://127.0.0.1:" + port;
			this.name = name;
			HttpResponse<String> login = post("/login", "name=" + name);
			assertThat(login.statusCode()).isEqualTo(302);
			assertThat(login.headers().firstValue("Set-Cookie")).isPresent();
		}

		void shop(AtomicBoolean shopping) {
			int inCart = 0;
			long product = 0;
			while (shopping.get() && this.failures.isEmpty()) {
				try {
					expect(send(HttpRequest.newBuilder(URI.create(this.base + "/api/products"))
						.header(ApiUsage.ENVIRONMENT_KEY_HEADER, PARTNER_KEY)
						.GET()), 200, "\"name\":\"Teapot\"");
					this.catalogCalls.incrementAndGet();
					expect(get("/products"), 200, "Hello <span>" + this.name + "</span>");
					HttpResponse<String> added = post("/cart", "productId=" + (product++ % 3 + 1));
					expect(added, 302, "");
					inCart++;
					String cart = expect(get("/cart"), 200, "Cart of <span>" + this.name + "</span>");
					int size = number(CART_SIZE, cart);
					if (size != inCart) {
						this.failures.add("cart has " + size + " items, " + inCart + " were put in");
					}
					if (inCart == 3) {
						HttpResponse<String> ordered = post("/orders", "");
						expect(ordered, 302, "");
						long order = Long.parseLong(ordered.headers().firstValue("Location").orElseThrow()
							.replaceAll(".*/orders/", ""));
						this.orders.add(order);
						inCart = 0;
						if (orderItems(order) != 3) {
							this.failures.add("order " + order + " does not have 3 items");
						}
					}
				}
				catch (IOException | RuntimeException ex) {
					this.failures.add(ex.toString());
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					return;
				}
			}
		}

		int orderItems(long order) throws IOException, InterruptedException {
			return number(ORDER_ITEMS, expect(get("/orders/" + order), 200, "Order <span id=\"id\">" + order + "</span>"));
		}

		private String expect(HttpResponse<String> response, int status, String content) {
			if (response.statusCode() != status || !response.body().contains(content)) {
				String problem = response.request().method() + " " + response.request().uri().getPath() + " answered "
						+ response.statusCode() + " " + response.body();
				this.failures.add(problem);
				throw new IllegalStateException(problem);
			}
			// a new session cookie after the login would mean the session was lost
			response.headers().firstValue("Set-Cookie").ifPresent((cookie) -> {
				this.failures.add("new session cookie: " + cookie);
			});
			return response.body();
		}

		private HttpResponse<String> get(String path) throws IOException, InterruptedException {
			return send(HttpRequest.newBuilder(URI.create(this.base + path)).GET());
		}

		private HttpResponse<String> post(String path, String form) throws IOException, InterruptedException {
			return send(HttpRequest.newBuilder(URI.create(this.base + path))
				.header("Content-Type", "application/x-www-form-urlencoded")
				.POST(BodyPublishers.ofString(form)));
		}

		private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
			return this.client.send(request.build(), BodyHandlers.ofString());
		}

		private static int number(Pattern pattern, String page) {
			Matcher matcher = pattern.matcher(page);
			if (!matcher.find()) {
				throw new IllegalStateException("No " + pattern + " in " + page);
			}
			return Integer.parseInt(matcher.group(1));
		}

	}

}
