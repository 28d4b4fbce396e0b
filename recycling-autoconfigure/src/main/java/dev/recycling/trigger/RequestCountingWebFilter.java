package dev.recycling.trigger;

import java.util.List;
import java.util.function.Consumer;

import dev.recycling.drain.RequestActivity;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.SignalType;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

/**
 * The WebFlux counterpart of {@link RequestCountingFilter}: counts application requests for
 * the {@link RecycleTriggers} and records the traffic the drain gate watches. A request counts
 * once, as its exchange starts (as gunicorn's {@code max-requests} counts a request as its
 * worker takes it), so the count is in before the client can see the answer and a generation
 * does not serve past its limit because a client was faster than the count; it is in flight
 * until its exchange ends, however it ends (completed, failed, or cancelled because the client
 * went away). Counting as the response commits would have needed a commit action on every
 * response, which costs WebFlux's commit a chain of operators (2 to 8 % of the demo's exchange,
 * measured). Requests under the actuator's base path are not application requests; readiness
 * probes are recorded with the status they got, as their response commits.
 * <p>
 * While the generation is closing, responses carry {@code Connection: close}.
 * <p>
 * The {@link InnerWebFilter} that comes right after it in the chain can run inside it
 * ({@link #nestInner(List)}), so that the starter adds one filter type to the chain rather than
 * two.
 *
 * @author recycling team
 */
public final class RequestCountingWebFilter implements WebFilter {

	private final RecycleTriggers triggers;

	private final RequestActivity activity;

	private final String excludedPathPrefix;

	private final String readinessPath;

	// one for every exchange: the exchange ends, however it ends
	private final Consumer<SignalType> finished;

	// the next filter of the chain, run inside this one
	private final @Nullable InnerWebFilter inner;

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
		this(triggers, activity, excludedPathPrefix, readinessPath, null);
	}

	private RequestCountingWebFilter(RecycleTriggers triggers, RequestActivity activity, String excludedPathPrefix,
			String readinessPath, @Nullable InnerWebFilter inner) {
		this.triggers = triggers;
		this.activity = activity;
		this.excludedPathPrefix = excludedPathPrefix;
		this.readinessPath = readinessPath;
		this.finished = (signal) -> activity.applicationRequestFinished();
		this.inner = inner;
	}

	/**
	 * Return a filter that counts as this one does and runs the given filter inside, where
	 * this one would call the rest of the chain: every exchange, the actuator's too, goes
	 * through it as if it were the next filter of the chain.
	 * @param inner the filter to run inside
	 * @return the filter that holds both
	 */
	public RequestCountingWebFilter around(InnerWebFilter inner) {
		if (this.inner != null) {
			throw new IllegalStateException("A filter runs inside already: " + this.inner);
		}
		return new RequestCountingWebFilter(this.triggers, this.activity, this.excludedPathPrefix, this.readinessPath,
				inner);
	}

	/**
	 * Put the {@link InnerWebFilter} that comes right after a request counting filter in a
	 * chain's filters inside it ({@link #around(InnerWebFilter)}); a chain without one stays
	 * as it is.
	 * @param filters the chain's filters in their order, changed in place
	 */
	public static void nestInner(List<WebFilter> filters) {
		for (int i = 0; i + 1 < filters.size(); i++) {
			if (filters.get(i) instanceof RequestCountingWebFilter counting && counting.inner == null
					&& filters.get(i + 1) instanceof InnerWebFilter inner) {
				filters.set(i, counting.around(inner));
				filters.remove(i + 1);
				return;
			}
		}
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
			return next(exchange, chain);
		}
		if (!this.excludedPathPrefix.isEmpty() && path.startsWith(this.excludedPathPrefix)) {
			return next(exchange, chain);
		}
		this.activity.applicationRequestStarted();
		this.triggers.countRequest();
		Mono<Void> served;
		try {
			served = next(exchange, chain);
		}
		catch (RuntimeException | Error ex) {
			this.activity.applicationRequestFinished();
			throw ex;
		}
		return served.doFinally(this.finished);
	}

	private Mono<Void> next(ServerWebExchange exchange, WebFilterChain chain) {
		return (this.inner != null) ? this.inner.filter(exchange, chain) : chain.filter(exchange);
	}

}
