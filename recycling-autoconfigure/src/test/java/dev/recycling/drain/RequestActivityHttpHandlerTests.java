package dev.recycling.drain;

import java.time.Duration;

import dev.recycling.trigger.GenerationLimits;
import dev.recycling.trigger.RecycleTriggers;
import dev.recycling.trigger.RequestCountingHttpHandler;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.HttpHandler;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.http.server.reactive.MockServerHttpResponse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Tests for what {@link RequestCountingHttpHandler} (WebFlux) records in
 * {@link RequestActivity} and counts for the triggers.
 */
class RequestActivityHttpHandlerTests {

	private final RecycleTriggers triggers = new RecycleTriggers(GenerationLimits.NONE, Duration.ZERO,
			System::nanoTime, (reason) -> false);

	private final RequestActivity activity = new RequestActivity(System::nanoTime);

	private final MockServerHttpResponse response = new MockServerHttpResponse();

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
		Sinks.Empty<Void> served = Sinks.empty();
		Disposable subscription = handle("/api/v1/flags", (request, response) -> served.asMono()).subscribe();
		assertThat(this.activity.inFlight()).isEqualTo(1);
		assertThat(this.triggers.requestsServed()).isEqualTo(1);
		served.tryEmitEmpty();
		assertThat(this.activity.inFlight()).isZero();
		assertThat(this.triggers.requestsServed()).isEqualTo(1);
		assertThat(subscription.isDisposed()).isTrue();
	}

	@Test
	void aRequestCountsBeforeItsResponseCommitsAndOnlyOnce() {
		Sinks.Empty<Void> handled = Sinks.empty();
		Sinks.Empty<Void> written = Sinks.empty();
		handle("/api/v1/flags",
				(request, response) -> handled.asMono().then(response.setComplete()).then(written.asMono()))
			.subscribe();
		// the handler is still at work: no byte of the response has left
		assertThat(this.triggers.requestsServed()).isEqualTo(1);
		handled.tryEmitEmpty();
		// the response has committed (its head is on its way); the exchange has not ended yet
		assertThat(this.response.isCommitted()).isTrue();
		assertThat(this.triggers.requestsServed()).isEqualTo(1);
		assertThat(this.activity.inFlight()).isEqualTo(1);
		written.tryEmitEmpty();
		assertThat(this.triggers.requestsServed()).isEqualTo(1);
		assertThat(this.activity.inFlight()).isZero();
	}

	@Test
	void aReadinessProbeIsRecordedAsItsResponseCommits() {
		long before = System.nanoTime();
		handle("/actuator/health/readiness", (request, response) -> {
			response.setStatusCode(HttpStatus.SERVICE_UNAVAILABLE);
			return response.setComplete().then(Sinks.empty().asMono().then());
		}).subscribe();
		assertThat(this.activity.notReadyAnsweredSince(before)).isTrue();
	}

	@Test
	void aCancelledExchangeEnds() {
		Sinks.Empty<Void> never = Sinks.empty();
		Disposable subscription = handle("/api/v1/flags", (request, response) -> never.asMono()).subscribe();
		assertThat(this.activity.inFlight()).isEqualTo(1);
		// the client went away
		subscription.dispose();
		assertThat(this.activity.inFlight()).isZero();
		assertThat(this.triggers.requestsServed()).isEqualTo(1);
	}

	@Test
	void aFailedExchangeEnds() {
		HttpHandler failing = (request, response) -> Mono.error(new IllegalStateException("handler failed"));
		assertThatIllegalStateException().isThrownBy(() -> handle("/api/v1/flags", failing).block());
		HttpHandler throwing = (request, response) -> {
			throw new IllegalStateException("handler threw");
		};
		assertThatIllegalStateException().isThrownBy(() -> handle("/api/v1/flags", throwing).block());
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
		assertThat(send("/api/v1/flags", HttpStatus.OK).getHeaders().getFirst("Connection")).isNull();
		this.activity.closeConnections();
		assertThat(send("/api/v1/flags", HttpStatus.OK).getHeaders().getFirst("Connection")).isEqualTo("close");
	}

	private MockServerHttpResponse send(String path, HttpStatus status) {
		MockServerHttpResponse response = new MockServerHttpResponse();
		handle(path, response, (request, served) -> {
			served.setStatusCode(status);
			return served.setComplete();
		}).block();
		return response;
	}

	private Mono<Void> handle(String path, HttpHandler delegate) {
		return handle(path, this.response, delegate);
	}

	private Mono<Void> handle(String path, MockServerHttpResponse response, HttpHandler delegate) {
		return new RequestCountingHttpHandler(delegate, this.triggers, this.activity, "/actuator",
				"/actuator/health/readiness")
			.handle(MockServerHttpRequest.get(path).build(), response);
	}

}
