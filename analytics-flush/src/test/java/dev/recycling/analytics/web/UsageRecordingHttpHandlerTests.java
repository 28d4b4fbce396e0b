package dev.recycling.analytics.web;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import dev.recycling.analytics.cache.ApiUsageCache;
import dev.recycling.analytics.cache.ApiUsageKey;
import dev.recycling.analytics.cache.FeatureEvaluationCache;
import dev.recycling.analytics.cache.Labels;
import dev.recycling.analytics.cache.UsageCounter;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

import org.springframework.context.support.StaticApplicationContext;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.HttpHandler;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.http.server.reactive.MockServerHttpResponse;
import org.springframework.web.reactive.HandlerMapping;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebHandler;
import org.springframework.web.server.adapter.ForwardedHeaderTransformer;
import org.springframework.web.server.adapter.HttpWebHandlerAdapter;
import org.springframework.web.server.adapter.WebHttpHandlerBuilder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Tests for {@link UsageRecordingHttpHandler} with {@link ReactiveUsageRecorder}, around
 * WebFlux's {@link HttpWebHandlerAdapter}: only exchanges that succeed are counted.
 */
class UsageRecordingHttpHandlerTests {

	private final ApiUsageCache apiUsage = new ApiUsageCache(new UsageCounter<>(100, System::currentTimeMillis, () -> {
	}));

	private final FeatureEvaluationCache evaluations = new FeatureEvaluationCache(
			new UsageCounter<>(100, System::currentTimeMillis, () -> {
			}));

	private final ReactiveUsageRecorder recorder = new ReactiveUsageRecorder(this.apiUsage, this.evaluations);

	private final ApiUsageAnnotations annotations = new ApiUsageAnnotations();

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
		List<ServerWebExchange> exchanges = new ArrayList<>();
		MockServerHttpResponse response = new MockServerHttpResponse();
		handler((exchange) -> {
			exchanges.add(exchange);
			this.recorder.apiRequest(exchange, "flags", "h", "env", Labels.NONE);
			return Mono.error(new ResponseStatusException(HttpStatus.BAD_REQUEST));
		}).handle(request().build(), response).block();
		assertThat(response.getStatusCode()).as("the adapter's answer to an unhandled error")
			.isEqualTo(HttpStatus.INTERNAL_SERVER_ERROR);
		assertThat(this.apiUsage.total()).isZero();
		assertThatIllegalStateException()
			.isThrownBy(() -> this.recorder.apiRequest(exchanges.get(0), "flags", "h", "env", Labels.NONE))
			.withMessageContaining("can no longer be recorded");
	}

	@Test
	void anErrorThatEndsTheExchangeDropsWhatItRecorded() {
		List<ServerWebExchange> exchanges = new ArrayList<>();
		HttpHandler handler = new UsageRecordingHttpHandler((request, response) -> {
			HttpHandler adapter = adapter((exchange) -> {
				exchanges.add(exchange);
				this.recorder.apiRequest(exchange, "flags", "h", "env", Labels.NONE);
				return Mono.empty();
			});
			return adapter.handle(request, response).then(Mono.error(new IllegalStateException("write failed")));
		}, null, this.annotations, this.apiUsage);
		assertThatIllegalStateException()
			.isThrownBy(() -> handler.handle(request().build(), new MockServerHttpResponse()).block());
		assertThat(this.apiUsage.total()).isZero();
		assertThatIllegalStateException()
			.isThrownBy(() -> this.recorder.apiRequest(exchanges.get(0), "flags", "h", "env", Labels.NONE))
			.withMessageContaining("can no longer be recorded");
	}

	@Test
	void nothingCountsBeforeTheResponseIsSentAndACancelledExchangeCountsNothing() {
		Sinks.Empty<Void> sent = Sinks.empty();
		List<ServerWebExchange> exchanges = new ArrayList<>();
		Disposable served = handler((exchange) -> {
			exchanges.add(exchange);
			this.recorder.apiRequest(exchange, "flags", "h", "env", Labels.NONE);
			return sent.asMono();
		}).handle(request().build(), new MockServerHttpResponse()).subscribe();
		assertThat(this.apiUsage.total()).as("not before the response is sent").isZero();
		// the client went away
		served.dispose();
		assertThatIllegalStateException()
			.isThrownBy(() -> this.recorder.apiRequest(exchanges.get(0), "flags", "h", "env", Labels.NONE))
			.withMessageContaining("can no longer be recorded");
		sent.tryEmitEmpty();
		assertThat(this.apiUsage.total()).isZero();
	}

	@Test
	void recordingWithoutTheHandlerIsAClearError() {
		List<RuntimeException> failures = new ArrayList<>();
		HttpHandler adapter = adapter(recording(failures,
				(exchange) -> this.recorder.apiRequest(exchange, "flags", "h", "env", Labels.NONE)));
		adapter.handle(request().build(), new MockServerHttpResponse()).block();
		assertThat(failures).singleElement()
			.isInstanceOf(IllegalStateException.class)
			.satisfies((ex) -> assertThat(ex).hasMessageContaining("No UsageRecordingHttpHandler"));
	}

	@Test
	void anExchangeMadeOfAnotherRequestRecordsNothingAndTheRecorderSaysSo() {
		List<RuntimeException> failures = new ArrayList<>();
		HttpHandler adapter = adapter(recording(failures,
				(exchange) -> this.recorder.apiRequest(exchange, "flags", "h", "env", Labels.NONE)));
		// a decorator between the handler and the adapter that replaces the request
		HttpHandler handler = new UsageRecordingHttpHandler(
				(request, response) -> adapter.handle(request.mutate().path("/other").build(), response), null,
				this.annotations, this.apiUsage);
		handler.handle(request().build(), new MockServerHttpResponse()).block();
		assertThat(failures).singleElement()
			.satisfies((ex) -> assertThat(ex).hasMessageContaining("No UsageRecordingHttpHandler"));
	}

	@Test
	void aNegativeCountIsRefused() {
		List<RuntimeException> failures = new ArrayList<>();
		serve(recording(failures,
				(exchange) -> this.recorder.featureEvaluations(exchange, "f", "env", Labels.NONE, -1)));
		assertThat(failures).singleElement().isInstanceOf(IllegalArgumentException.class);
	}

	@Test
	void hostAndClientLabelsAreReadFromTheRequestTheHandlerPassedOn() {
		MockServerHttpRequest request = request().header("Host", "api.example.com")
			.header(UsageRecorder.CLIENT_NAME_HEADER, " web ")
			.header(UsageRecorder.CLIENT_VERSION_HEADER, "1.2\u0007")
			.header("User-Agent", "curl/8")
			.build();
		List<Labels> labels = new ArrayList<>();
		handler((received) -> {
			// as a filter that decorates the exchange (Spring Security's firewall)
			ServerWebExchange decorated = received.mutate()
				.request(received.getRequest().mutate().headers((headers) -> headers.clear()).build())
				.build();
			this.recorder.apiRequest(decorated, "flags", "env");
			labels.add(this.recorder.clientLabels(decorated));
			return Mono.empty();
		}).handle(request, new MockServerHttpResponse()).block();
		Labels client = Labels.client("web", null, "curl/8");
		assertThat(this.apiUsage.drain()).singleElement()
			.satisfies((count) -> assertThat(count.key())
				.isEqualTo(new ApiUsageKey("flags", "api.example.com", "env", client)));
		assertThat(labels).containsExactly(client);
	}

	@Test
	void anAnnotatedHandlerIsCountedOnlyWhenItsResponseSucceedsAndTheEnvironmentKeyIsSent() {
		for (HttpStatus status : new HttpStatus[] { HttpStatus.OK, HttpStatus.NOT_FOUND, HttpStatus.BAD_GATEWAY }) {
			MockServerHttpRequest request = request().header("Host", "api.example.com")
				.header(ApiUsage.ENVIRONMENT_KEY_HEADER, "env")
				.header(UsageRecorder.CLIENT_VERSION_HEADER, "2.0")
				.build();
			handler(handledBy("flags", status)).handle(request, new MockServerHttpResponse()).block();
		}
		serve(handledBy("flags", HttpStatus.OK));
		MockServerHttpRequest notAnnotated = MockServerHttpRequest.get("/health")
			.header(ApiUsage.ENVIRONMENT_KEY_HEADER, "env")
			.build();
		handler(handledBy("health", HttpStatus.OK)).handle(notAnnotated, new MockServerHttpResponse()).block();
		assertThat(this.apiUsage.drain()).singleElement()
			.satisfies((count) -> assertThat(count.key()).isEqualTo(new ApiUsageKey("flags", "api.example.com", "env",
					Labels.client(null, "2.0", null))));
	}

	@Test
	void withForwardedHeadersTransformedTheExchangeStillHoldsItsUsage() {
		ForwardedHeaderTransformer transformer = new ForwardedHeaderTransformer();
		HttpWebHandlerAdapter adapter = adapter(handledBy("flags", HttpStatus.OK));
		adapter.setForwardedHeaderTransformer(transformer);
		HttpHandler handler = UsageRecordingHttpHandler.decorate(adapter, new StaticApplicationContext(),
				this.annotations, this.apiUsage);
		MockServerHttpRequest request = request().header("Host", "api.example.com")
			.header("X-Forwarded-Proto", "https")
			.header("X-Forwarded-Prefix", "/edge")
			.header(ApiUsage.ENVIRONMENT_KEY_HEADER, "env")
			.build();
		handler.handle(request, new MockServerHttpResponse()).block();
		assertThat(this.apiUsage.drain()).singleElement()
			.satisfies((count) -> assertThat(count.key())
				.isEqualTo(new ApiUsageKey("flags", "api.example.com", "env", Labels.NONE)));
	}

	@Test
	void theHandlerOfAnotherContextIsLeftAsItIs() {
		StaticApplicationContext application = new StaticApplicationContext();
		StaticApplicationContext management = new StaticApplicationContext(application);
		HttpWebHandlerAdapter adapter = adapter(handledBy("flags", HttpStatus.OK));
		adapter.setApplicationContext(management);
		assertThat(UsageRecordingHttpHandler.decorate(adapter, application, this.annotations, this.apiUsage))
			.isSameAs(adapter);
		HttpWebHandlerAdapter own = adapter(handledBy("flags", HttpStatus.OK));
		own.setApplicationContext(application);
		assertThat(UsageRecordingHttpHandler.decorate(own, application, this.annotations, this.apiUsage))
			.isInstanceOf(UsageRecordingHttpHandler.class);
	}

	// a handler that records, keeping what the recorder throws
	private static WebHandler recording(List<RuntimeException> failures, Consumer<ServerWebExchange> record) {
		return (exchange) -> {
			try {
				record.accept(exchange);
			}
			catch (RuntimeException ex) {
				failures.add(ex);
			}
			return Mono.empty();
		};
	}

	private WebHandler recordingWithStatus(HttpStatus status) {
		return (exchange) -> {
			this.recorder.apiRequest(exchange, "flags", "h", "env", Labels.NONE);
			this.recorder.featureEvaluations(exchange, "checkout", "env", Labels.NONE, 3);
			exchange.getResponse().setStatusCode(status);
			return exchange.getResponse().setComplete();
		};
	}

	// the handler as WebFlux runs it: the handler mapping exposes the handler method, the
	// handler sets the status
	private static WebHandler handledBy(String method, HttpStatus status) {
		return (exchange) -> {
			exchange.getAttributes()
				.put(HandlerMapping.BEST_MATCHING_HANDLER_ATTRIBUTE,
						UsageRecordingFilterTests.handlerMethod(new UsageRecordingFilterTests.Handlers(), method));
			exchange.getResponse().setStatusCode(status);
			return exchange.getResponse().setComplete();
		};
	}

	private void serve(WebHandler webHandler) {
		handler(webHandler).handle(request().build(), new MockServerHttpResponse()).block();
	}

	private HttpHandler handler(WebHandler webHandler) {
		return UsageRecordingHttpHandler.decorate(adapter(webHandler), new StaticApplicationContext(), this.annotations,
				this.apiUsage);
	}

	private static HttpWebHandlerAdapter adapter(WebHandler webHandler) {
		return (HttpWebHandlerAdapter) WebHttpHandlerBuilder.webHandler(webHandler).build();
	}

	private static MockServerHttpRequest.BaseBuilder<?> request() {
		return MockServerHttpRequest.get("/api/v1/flags");
	}

}
