package dev.recycling.trigger;

import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.function.Consumer;
import java.util.function.Supplier;

import dev.recycling.drain.RequestActivity;
import reactor.core.publisher.Mono;
import reactor.core.publisher.SignalType;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

/**
 * The WebFlux counterpart of {@link RequestCountingFilter}: counts completed application
 * requests for the {@link RecycleTriggers} and records the traffic the drain gate watches.
 * A request counts once, when its response commits or, without a response, when its
 * exchange ends (failed or cancelled because the client went away); it is in flight until
 * its exchange ends. Requests under the actuator's base path are not application requests;
 * readiness probes are recorded with the status they got, as their response commits.
 * <p>
 * While the generation is closing, responses carry {@code Connection: close}.
 *
 * @author recycling team
 */
public final class RequestCountingWebFilter implements WebFilter {

	private final RecycleTriggers triggers;

	private final RequestActivity activity;

	private final String excludedPathPrefix;

	private final String readinessPath;

	/**
	 * Create a filter.
	 * @param triggers the triggers of the generation
	 * @param activity the traffic record of the drain gate
	 * @param excludedPathPrefix requests whose path (within the application) starts with it
	 * are not application requests, usually {@code /actuator}
	 * @param readinessPath the path of the readiness probe, usually
	 * {@code /actuator/health/readiness}
	 */
	public RequestCountingWebFilter(RecycleTriggers triggers, RequestActivity activity, String excludedPathPrefix,
			String readinessPath) {
		this.triggers = triggers;
		this.activity = activity;
		this.excludedPathPrefix = excludedPathPrefix;
		this.readinessPath = readinessPath;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		ServerHttpResponse response = exchange.getResponse();
		if (this.activity.isClosingConnections()) {
			response.getHeaders().set(HttpHeaders.CONNECTION, "close");
		}
		String path = exchange.getRequest().getPath().pathWithinApplication().value();
		if (path.equals(this.readinessPath)) {
			// before the first byte leaves: a watcher that got its answer has been seen
			response.beforeCommit(() -> {
				HttpStatusCode status = response.getStatusCode();
				this.activity.readinessProbeAnswered((status != null) ? status.value() : 200);
				return Mono.empty();
			});
			return chain.filter(exchange);
		}
		if (!this.excludedPathPrefix.isEmpty() && path.startsWith(this.excludedPathPrefix)) {
			return chain.filter(exchange);
		}
		Completion completion = new Completion(this.triggers, this.activity);
		response.beforeCommit(completion);
		return Mono.defer(() -> {
			this.activity.applicationRequestStarted();
			return chain.filter(exchange);
		}).doFinally(completion);
	}

	/**
	 * The end of one application exchange. It counts for the triggers once, as soon as its
	 * response commits (before the client can see it, so that a client that sends its next
	 * request on seeing the answer finds the limit already reached, as on the servlet side),
	 * or when the exchange ends without a response (cancelled, or failed before WebFlux's error
	 * handling writes one). It stops being in flight when the exchange ends.
	 */
	private static final class Completion implements Supplier<Mono<Void>>, Consumer<SignalType> {

		private static final AtomicIntegerFieldUpdater<Completion> COUNTED = AtomicIntegerFieldUpdater
			.newUpdater(Completion.class, "counted");

		private final RecycleTriggers triggers;

		private final RequestActivity activity;

		private volatile int counted;

		Completion(RecycleTriggers triggers, RequestActivity activity) {
			this.triggers = triggers;
			this.activity = activity;
		}

		// the response commits
		@Override
		public Mono<Void> get() {
			count();
			return Mono.empty();
		}

		// the exchange ends
		@Override
		public void accept(SignalType signal) {
			this.activity.applicationRequestFinished();
			count();
		}

		private void count() {
			if (COUNTED.compareAndSet(this, 0, 1)) {
				this.triggers.requestCompleted();
			}
		}

	}

}
