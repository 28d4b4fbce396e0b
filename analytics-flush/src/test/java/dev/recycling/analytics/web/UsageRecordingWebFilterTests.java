package dev.recycling.analytics.web;

import java.util.ArrayList;
import java.util.List;

import dev.recycling.analytics.cache.ApiUsageCache;
import dev.recycling.analytics.cache.ApiUsageKey;
import dev.recycling.analytics.cache.FeatureEvaluationCache;
import dev.recycling.analytics.cache.Labels;
import dev.recycling.analytics.cache.UsageCounter;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

import org.springframework.http.HttpStatus;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.web.reactive.HandlerMapping;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilterChain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Tests for {@link UsageRecordingWebFilter} with {@link ReactiveUsageRecorder}: only
 * exchanges that succeed are counted.
 */
class UsageRecordingWebFilterTests {

	private final ApiUsageCache apiUsage = new ApiUsageCache(new UsageCounter<>(100, System::currentTimeMillis, () -> {
	}));

	private final FeatureEvaluationCache evaluations = new FeatureEvaluationCache(
			new UsageCounter<>(100, System::currentTimeMillis, () -> {
			}));

	private final ReactiveUsageRecorder recorder = new ReactiveUsageRecorder(this.apiUsage, this.evaluations);

	private final UsageRecordingWebFilter filter = new UsageRecordingWebFilter(new ApiUsageAnnotations(), this.apiUsage);

	@Test
	void aSuccessfulResponseCommitsWhatTheExchangeRecorded() {
		serve(recordingWithStatus(HttpStatus.OK));
		serve(recordingWithStatus(HttpStatus.NOT_MODIFIED));
		assertThat(this.apiUsage.total()).isEqualTo(2);
		assertThat(this.evaluations.total()).isEqualTo(6);
	}

	@Test
	void aClientOrServerErrorDropsWhatTheExchangeRecorded() {
		serve(recordingWithStatus(HttpStatus.NOT_ACCEPTABLE));
		serve(recordingWithStatus(HttpStatus.SERVICE_UNAVAILABLE));
		assertThat(this.apiUsage.total()).isZero();
		assertThat(this.evaluations.total()).isZero();
	}

	@Test
	void anErrorDropsWhatTheExchangeRecorded() {
		WebFilterChain failing = (exchange) -> {
			this.recorder.apiRequest(exchange, "flags", "h", "env", Labels.NONE);
			return Mono.error(new ResponseStatusException(HttpStatus.BAD_REQUEST));
		};
		MockServerWebExchange exchange = exchange();
		assertThatExceptionOfType(ResponseStatusException.class)
			.isThrownBy(() -> this.filter.filter(exchange, failing).block());
		assertThat(this.apiUsage.total()).isZero();
		assertThatIllegalStateException()
			.isThrownBy(() -> this.recorder.apiRequest(exchange, "flags", "h", "env", Labels.NONE))
			.withMessageContaining("can no longer be recorded");
	}

	@Test
	void nothingCountsBeforeTheResponseIsSentAndACancelledExchangeCountsNothing() {
		Sinks.Empty<Void> sent = Sinks.empty();
		MockServerWebExchange exchange = exchange();
		Disposable served = this.filter.filter(exchange, (ex) -> {
			this.recorder.apiRequest(ex, "flags", "h", "env", Labels.NONE);
			return sent.asMono();
		}).subscribe();
		assertThat(this.apiUsage.total()).as("not before the response is sent").isZero();
		// the client went away
		served.dispose();
		assertThatIllegalStateException()
			.isThrownBy(() -> this.recorder.apiRequest(exchange, "flags", "h", "env", Labels.NONE))
			.withMessageContaining("can no longer be recorded");
		sent.tryEmitEmpty();
		assertThat(this.apiUsage.total()).isZero();
	}

	@Test
	void recordingWithoutTheFilterIsAClearError() {
		assertThatIllegalStateException()
			.isThrownBy(() -> this.recorder.apiRequest(exchange(), "flags", "h", "env", Labels.NONE))
			.withMessageContaining("UsageRecordingWebFilter");
	}

	@Test
	void aNegativeCountIsRefused() {
		assertThatExceptionOfType(IllegalArgumentException.class).isThrownBy(() -> serve((exchange) -> {
			this.recorder.featureEvaluations(exchange, "f", "env", Labels.NONE, -1);
			return Mono.empty();
		}));
	}

	private WebFilterChain recordingWithStatus(HttpStatus status) {
		return (exchange) -> {
			this.recorder.apiRequest(exchange, "flags", "h", "env", Labels.NONE);
			this.recorder.featureEvaluations(exchange, "checkout", "env", Labels.NONE, 3);
			exchange.getResponse().setStatusCode(status);
			return exchange.getResponse().setComplete();
		};
	}

	@Test
	void hostAndClientLabelsAreReadFromTheRequestTheFilterReceived() {
		MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.get("/api/v1/flags")
			.header("Host", "api.example.com")
			.header(UsageRecorder.CLIENT_NAME_HEADER, " web ")
			.header(UsageRecorder.CLIENT_VERSION_HEADER, "1.2\u0007")
			.header("User-Agent", "curl/8"));
		List<Labels> labels = new ArrayList<>();
		this.filter.filter(exchange, (received) -> {
			// as a later filter that decorates the exchange (Spring Security's firewall)
			ServerWebExchange decorated = received.mutate()
				.request(received.getRequest().mutate().headers((headers) -> headers.clear()).build())
				.build();
			this.recorder.apiRequest(decorated, "flags", "env");
			labels.add(this.recorder.clientLabels(decorated));
			return Mono.empty();
		}).block();
		Labels client = Labels.client("web", null, "curl/8");
		assertThat(this.apiUsage.drain()).singleElement()
			.satisfies((count) -> assertThat(count.key())
				.isEqualTo(new ApiUsageKey("flags", "api.example.com", "env", client)));
		assertThat(labels).containsExactly(client);
	}

	@Test
	void anAnnotatedHandlerIsCountedOnlyWhenItsResponseSucceedsAndTheEnvironmentKeyIsSent() {
		for (HttpStatus status : new HttpStatus[] { HttpStatus.OK, HttpStatus.NOT_FOUND, HttpStatus.BAD_GATEWAY }) {
			MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.get("/api/v1/flags")
				.header("Host", "api.example.com")
				.header(ApiUsage.ENVIRONMENT_KEY_HEADER, "env")
				.header(UsageRecorder.CLIENT_VERSION_HEADER, "2.0"));
			this.filter.filter(exchange, handledBy("flags", status)).block();
		}
		serve(handledBy("flags", HttpStatus.OK));
		MockServerWebExchange notAnnotated = MockServerWebExchange
			.from(MockServerHttpRequest.get("/health").header(ApiUsage.ENVIRONMENT_KEY_HEADER, "env"));
		this.filter.filter(notAnnotated, handledBy("health", HttpStatus.OK)).block();
		assertThat(this.apiUsage.drain()).singleElement()
			.satisfies((count) -> assertThat(count.key()).isEqualTo(new ApiUsageKey("flags", "api.example.com", "env",
					Labels.client(null, "2.0", null))));
	}

	// the chain as WebFlux runs it: the handler mapping exposes the handler method, the
	// handler sets the status
	private static WebFilterChain handledBy(String method, HttpStatus status) {
		return (exchange) -> {
			exchange.getAttributes()
				.put(HandlerMapping.BEST_MATCHING_HANDLER_ATTRIBUTE,
						UsageRecordingFilterTests.handlerMethod(new UsageRecordingFilterTests.Handlers(), method));
			exchange.getResponse().setStatusCode(status);
			return exchange.getResponse().setComplete();
		};
	}

	private void serve(WebFilterChain chain) {
		this.filter.filter(exchange(), chain).block();
	}

	private static MockServerWebExchange exchange() {
		return MockServerWebExchange.from(MockServerHttpRequest.get("/api/v1/flags"));
	}

}
