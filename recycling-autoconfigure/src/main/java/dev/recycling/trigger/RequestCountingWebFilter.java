package dev.recycling.trigger;

import dev.recycling.drain.RequestActivity;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

/**
 * The WebFlux counterpart of {@link RequestCountingFilter}: counts completed application
 * requests for the {@link RecycleTriggers} and records the traffic the drain gate watches.
 * A request ends when its exchange ends, however it ends: completed, failed, or cancelled
 * because the client went away. Requests under the actuator's base path are not
 * application requests; readiness probes are recorded with the status they got.
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
		if (this.activity.isClosingConnections()) {
			exchange.getResponse().getHeaders().set(HttpHeaders.CONNECTION, "close");
		}
		String path = exchange.getRequest().getPath().pathWithinApplication().value();
		if (path.equals(this.readinessPath)) {
			return chain.filter(exchange).doFinally((signal) -> {
				HttpStatusCode status = exchange.getResponse().getStatusCode();
				this.activity.readinessProbeAnswered((status != null) ? status.value() : 200);
			});
		}
		if (!this.excludedPathPrefix.isEmpty() && path.startsWith(this.excludedPathPrefix)) {
			return chain.filter(exchange);
		}
		return Mono.defer(() -> {
			this.activity.applicationRequestStarted();
			return chain.filter(exchange);
		}).doFinally((signal) -> {
			this.activity.applicationRequestFinished();
			this.triggers.requestCompleted();
		});
	}

}
