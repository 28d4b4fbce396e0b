package dev.recycling.drain;

import java.time.Duration;

import dev.recycling.trigger.GenerationLimits;
import dev.recycling.trigger.RecycleTriggers;
import dev.recycling.trigger.RequestCountingWebFilter;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

import org.springframework.http.HttpStatus;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.web.server.WebFilterChain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Tests for what {@link RequestCountingWebFilter} (WebFlux) records in
 * {@link RequestActivity} and counts for the triggers.
 */
class RequestActivityWebFilterTests {

	private final RecycleTriggers triggers = new RecycleTriggers(GenerationLimits.NONE, Duration.ZERO,
			System::nanoTime, (reason) -> false);

	private final RequestActivity activity = new RequestActivity(System::nanoTime);

	private final RequestCountingWebFilter filter = new RequestCountingWebFilter(this.triggers, this.activity,
			"/actuator", "/actuator/health/readiness");

	@Test
	void applicationRequestsAreCountedActuatorRequestsAreNot() {
		send("/api/v1/flags", HttpStatus.OK);
		send("/actuator/prometheus", HttpStatus.OK);
		send("/actuator/health/readiness", HttpStatus.OK);
		assertThat(this.triggers.requestsServed()).isEqualTo(1);
		assertThat(this.activity.inFlight()).isZero();
	}

	@Test
	void aRequestCountsAsItsExchangeStartsAndIsInFlightUntilItCompletes() {
		Sinks.Empty<Void> response = Sinks.empty();
		MockServerWebExchange exchange = exchange("/api/v1/flags");
		Disposable subscription = this.filter.filter(exchange, (ex) -> response.asMono()).subscribe();
		assertThat(this.activity.inFlight()).isEqualTo(1);
		assertThat(this.triggers.requestsServed()).isEqualTo(1);
		response.tryEmitEmpty();
		assertThat(this.activity.inFlight()).isZero();
		assertThat(this.triggers.requestsServed()).isEqualTo(1);
		assertThat(subscription.isDisposed()).isTrue();
	}

	@Test
	void aRequestCountsBeforeItsResponseCommitsAndOnlyOnce() {
		Sinks.Empty<Void> handled = Sinks.empty();
		Sinks.Empty<Void> written = Sinks.empty();
		this.filter.filter(exchange("/api/v1/flags"),
				(ex) -> handled.asMono().then(ex.getResponse().setComplete()).then(written.asMono()))
			.subscribe();
		// the handler is still at work: no byte of the response has left
		assertThat(this.triggers.requestsServed()).isEqualTo(1);
		handled.tryEmitEmpty();
		// the response has committed (its head is on its way); the exchange has not ended yet
		assertThat(this.triggers.requestsServed()).isEqualTo(1);
		assertThat(this.activity.inFlight()).isEqualTo(1);
		written.tryEmitEmpty();
		assertThat(this.triggers.requestsServed()).isEqualTo(1);
		assertThat(this.activity.inFlight()).isZero();
	}

	@Test
	void aReadinessProbeIsRecordedAsItsResponseCommits() {
		long before = System.nanoTime();
		MockServerWebExchange exchange = exchange("/actuator/health/readiness");
		this.filter.filter(exchange, (ex) -> {
			ex.getResponse().setStatusCode(HttpStatus.SERVICE_UNAVAILABLE);
			return ex.getResponse().setComplete().then(Sinks.empty().asMono().then());
		}).subscribe();
		assertThat(this.activity.notReadyAnsweredSince(before)).isTrue();
	}

	@Test
	void anErrorCountsOnceThoughItsResponseCommitsAfterTheFilters() {
		MockServerWebExchange exchange = exchange("/api/v1/flags");
		assertThatIllegalStateException().isThrownBy(() -> this.filter
			.filter(exchange, (ex) -> Mono.error(new IllegalStateException("handler failed")))
			.block());
		// WebFlux's error handling writes the error response after the filters
		exchange.getResponse().setStatusCode(HttpStatus.INTERNAL_SERVER_ERROR);
		exchange.getResponse().setComplete().block();
		assertThat(this.triggers.requestsServed()).isEqualTo(1);
	}

	@Test
	void aCancelledExchangeEnds() {
		Sinks.Empty<Void> never = Sinks.empty();
		Disposable subscription = this.filter.filter(exchange("/api/v1/flags"), (ex) -> never.asMono()).subscribe();
		assertThat(this.activity.inFlight()).isEqualTo(1);
		// the client went away
		subscription.dispose();
		assertThat(this.activity.inFlight()).isZero();
		assertThat(this.triggers.requestsServed()).isEqualTo(1);
	}

	@Test
	void aFailedExchangeEnds() {
		WebFilterChain failing = (ex) -> Mono.error(new IllegalStateException("handler failed"));
		assertThatIllegalStateException().isThrownBy(() -> this.filter.filter(exchange("/api/v1/flags"), failing).block());
		WebFilterChain throwing = (ex) -> {
			throw new IllegalStateException("handler threw");
		};
		assertThatIllegalStateException().isThrownBy(() -> this.filter.filter(exchange("/api/v1/flags"), throwing).block());
		assertThat(this.activity.inFlight()).isZero();
		assertThat(this.triggers.requestsServed()).isEqualTo(2);
	}

	@Test
	void readinessProbesAreRecordedWithTheirStatus() {
		long before = System.nanoTime();
		send("/actuator/health/readiness", HttpStatus.OK);
		assertThat(this.activity.probeAnsweredSince(before)).isTrue();
		assertThat(this.activity.notReadyAnsweredSince(before)).isFalse();
		send("/actuator/health/readiness", HttpStatus.SERVICE_UNAVAILABLE);
		assertThat(this.activity.notReadyAnsweredSince(before)).isTrue();
		assertThat(this.triggers.requestsServed()).isZero();
	}

	@Test
	void closingGenerationAsksClientsToCloseTheirConnection() {
		assertThat(send("/api/v1/flags", HttpStatus.OK).getResponse().getHeaders().getFirst("Connection")).isNull();
		this.activity.closeConnections();
		assertThat(send("/api/v1/flags", HttpStatus.OK).getResponse().getHeaders().getFirst("Connection"))
			.isEqualTo("close");
	}

	private MockServerWebExchange send(String path, HttpStatus status) {
		MockServerWebExchange exchange = exchange(path);
		this.filter.filter(exchange, (ex) -> {
			ex.getResponse().setStatusCode(status);
			return ex.getResponse().setComplete();
		}).block();
		return exchange;
	}

	private static MockServerWebExchange exchange(String path) {
		return MockServerWebExchange.from(MockServerHttpRequest.get(path));
	}

}
