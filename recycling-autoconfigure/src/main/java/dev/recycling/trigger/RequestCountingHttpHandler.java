package dev.recycling.trigger;

import java.util.function.Consumer;

import dev.recycling.drain.RequestActivity;
import reactor.core.publisher.Mono;
import reactor.core.publisher.SignalType;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.server.reactive.HttpHandler;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpResponse;

/**
 * The WebFlux counterpart of {@link RequestCountingFilter}: counts application requests for
 * the {@link RecycleTriggers} and records the traffic the drain gate watches, around the
 * {@link HttpHandler} that WebFlux builds (filters, exception handlers, handler). A request
 * counts once, as its exchange starts (as gunicorn's {@code max-requests} counts a request as
 * its worker takes it), so the count is in before the client can see the answer and a
 * generation does not serve past its limit because a client was faster than the count; it is
 * in flight until its exchange ends, however it ends (completed, failed, or cancelled because
 * the client went away). Counting as the response commits would have needed a commit action
 * on every response, which costs WebFlux's commit a chain of operators (2 to 8 % of the demo's
 * exchange, measured). Requests under the actuator's base path are not application requests;
 * readiness probes are recorded with the status they got, as their response commits.
 * <p>
 * While the generation is closing, responses carry {@code Connection: close}.
 * <p>
 * It decorates the handler rather than being a {@code WebFilter}: WebFlux calls every filter
 * of a chain from one place, which the JVM's compiler inlines only while it has seen at most
 * two filter types there, and every filter costs the exchange a deferred step of the chain; a
 * decorator adds neither to the application's chain.
 *
 * @author recycling team
 */
public final class RequestCountingHttpHandler implements HttpHandler {

	private final HttpHandler delegate;

	private final RecycleTriggers triggers;

	private final RequestActivity activity;

	private final String excludedPathPrefix;

	private final String readinessPath;

	// one for every exchange: the exchange ends, however it ends
	private final Consumer<SignalType> finished;

	/**
	 * Create a handler.
	 * @param delegate the handler that serves the exchange
	 * @param triggers the triggers of the generation
	 * @param activity the traffic record of the drain gate
	 * @param excludedPathPrefix requests whose path (within the application) starts with it
	 * are not application requests, usually {@code /actuator}
	 * @param readinessPath the path of the readiness probe, usually
	 * {@code /actuator/health/readiness}
	 */
	public RequestCountingHttpHandler(HttpHandler delegate, RecycleTriggers triggers, RequestActivity activity,
			String excludedPathPrefix, String readinessPath) {
		this.delegate = delegate;
		this.triggers = triggers;
		this.activity = activity;
		this.excludedPathPrefix = excludedPathPrefix;
		this.readinessPath = readinessPath;
		this.finished = (signal) -> activity.applicationRequestFinished();
	}

	/**
	 * Return the handler that serves the exchange.
	 * @return the decorated handler
	 */
	public HttpHandler getDelegate() {
		return this.delegate;
	}

	@Override
	public Mono<Void> handle(ServerHttpRequest request, ServerHttpResponse response) {
		if (this.activity.isClosingConnections()) {
			response.getHeaders().set(HttpHeaders.CONNECTION, "close");
		}
		String path = request.getPath().pathWithinApplication().value();
		if (path.equals(this.readinessPath)) {
			// before the first byte leaves: a watcher that got its answer has been seen
			response.beforeCommit(() -> {
				HttpStatusCode status = response.getStatusCode();
				this.activity.readinessProbeAnswered((status != null) ? status.value() : 200);
				return Mono.empty();
			});
			return this.delegate.handle(request, response);
		}
		if (!this.excludedPathPrefix.isEmpty() && path.startsWith(this.excludedPathPrefix)) {
			return this.delegate.handle(request, response);
		}
		this.activity.applicationRequestStarted();
		this.triggers.countRequest();
		Mono<Void> served;
		try {
			served = this.delegate.handle(request, response);
		}
		catch (RuntimeException | Error ex) {
			this.activity.applicationRequestFinished();
			throw ex;
		}
		return served.doFinally(this.finished);
	}

}
