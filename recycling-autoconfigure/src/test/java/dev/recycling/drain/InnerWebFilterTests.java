package dev.recycling.drain;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.recycling.trigger.GenerationLimits;
import dev.recycling.trigger.InnerWebFilter;
import dev.recycling.trigger.RecycleTriggers;
import dev.recycling.trigger.RequestCountingWebFilter;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Tests for {@link RequestCountingWebFilter#nestInner(List)}: the {@link InnerWebFilter} right
 * after the request counting filter runs inside it, as it would have run as the next filter.
 */
class InnerWebFilterTests {

	private final RecycleTriggers triggers = new RecycleTriggers(GenerationLimits.NONE, Duration.ZERO,
			System::nanoTime, (reason) -> false);

	private final RequestActivity activity = new RequestActivity(System::nanoTime);

	private final RequestCountingWebFilter counting = new RequestCountingWebFilter(this.triggers, this.activity,
			"/actuator", "/actuator/health/readiness");

	private final List<String> seen = new ArrayList<>();

	@Test
	void theInnerFilterRightAfterRunsInsideAndTheChainHoldsOneFilterLess() {
		WebFilter first = new Named("first");
		WebFilter last = new Named("last");
		Inner inner = new Inner();
		List<WebFilter> filters = new ArrayList<>(List.of(first, this.counting, inner, last));
		RequestCountingWebFilter.nestInner(filters);
		assertThat(filters).hasSize(3).startsWith(first).endsWith(last);
		assertThat(filters.get(1)).isInstanceOf(RequestCountingWebFilter.class).isNotSameAs(this.counting);
		serve(filters, "/api/v1/flags");
		serve(filters, "/actuator/prometheus");
		// the inner filter acts as the exchange ends while it is still in flight (the drain waits
		// for it), as it did as the next filter of the chain
		assertThat(this.seen).containsExactly("first", "inner /api/v1/flags", "last", "in flight 1", "first",
				"inner /actuator/prometheus", "last", "in flight 0");
		assertThat(this.triggers.requestsServed()).isEqualTo(1);
		assertThat(this.activity.inFlight()).isZero();
	}

	@Test
	void anInnerFilterThatDoesNotComeRightAfterStaysInTheChain() {
		WebFilter between = new Named("between");
		Inner inner = new Inner();
		List<WebFilter> filters = new ArrayList<>(List.of(this.counting, between, inner));
		RequestCountingWebFilter.nestInner(filters);
		assertThat(filters).containsExactly(this.counting, between, inner);
	}

	@Test
	void aFilterRunsOneFilterInside() {
		RequestCountingWebFilter around = this.counting.around(new Inner());
		List<WebFilter> filters = new ArrayList<>(List.of(around, new Inner()));
		RequestCountingWebFilter.nestInner(filters);
		assertThat(filters).hasSize(2).startsWith(around);
		assertThatIllegalStateException().isThrownBy(() -> around.around(new Inner()));
	}

	private void serve(List<WebFilter> filters, String path) {
		MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.get(path));
		chain(filters, 0).filter(exchange).block();
	}

	// the chain as WebFlux runs it: each filter, then the handler
	private static WebFilterChain chain(List<WebFilter> filters, int index) {
		if (index == filters.size()) {
			return (exchange) -> Mono.empty();
		}
		return (exchange) -> filters.get(index).filter(exchange, chain(filters, index + 1));
	}

	private final class Named implements WebFilter {

		private final String name;

		Named(String name) {
			this.name = name;
		}

		@Override
		public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
			InnerWebFilterTests.this.seen.add(this.name);
			return chain.filter(exchange);
		}

	}

	// as the API-usage filter: sees the exchange before the rest of the chain, acts as it ends
	private final class Inner implements InnerWebFilter {

		@Override
		public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
			List<String> seen = InnerWebFilterTests.this.seen;
			seen.add("inner " + exchange.getRequest().getPath().value());
			return chain.filter(exchange)
				.doOnSuccess((done) -> seen.add("in flight " + InnerWebFilterTests.this.activity.inFlight()));
		}

	}

}
