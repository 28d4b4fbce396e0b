package dev.recycling.analytics.web;

import dev.recycling.analytics.cache.ApiUsageCache;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpStatusCode;
import org.springframework.web.reactive.HandlerMapping;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

/**
 * Holds the usage that a {@link ReactiveUsageRecorder} records for an exchange until the
 * exchange ends, then commits it if the response was sent with a status below 400, and drops
 * it otherwise: on an error (which WebFlux turns into a 4xx or 5xx after the filters), on a
 * 4xx or 5xx, and when the client cancels.
 * <p>
 * It also counts the calls of handler methods annotated with {@link ApiUsage}, when their
 * response succeeds, as the servlet {@link UsageRecordingFilter} does.
 *
 * @author recycling team
 */
public final class UsageRecordingWebFilter implements WebFilter {

	private final ApiUsageAnnotations annotations;

	private final ApiUsageCache apiUsage;

	private final ReceivedKeys keys = new ReceivedKeys();

	/**
	 * Create a filter.
	 * @param annotations the {@link ApiUsage} annotations of the handler methods
	 * @param apiUsage the cache that annotated calls count in
	 */
	public UsageRecordingWebFilter(ApiUsageAnnotations annotations, ApiUsageCache apiUsage) {
		this.annotations = annotations;
		this.apiUsage = apiUsage;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		ReactivePendingUsage pending = new ReactivePendingUsage(exchange.getRequest());
		exchange.getAttributes().put(UsageRecorder.ATTRIBUTE, pending);
		return chain.filter(exchange).doOnSuccess((done) -> {
			HttpStatusCode status = exchange.getResponse().getStatusCode();
			if (status == null || status.value() < 400) {
				if (pending.commit()) {
					pending.countAnnotated(this.annotations,
							exchange.getAttribute(HandlerMapping.BEST_MATCHING_HANDLER_ATTRIBUTE), this.apiUsage,
							this.keys);
				}
			}
			else {
				pending.drop();
			}
		}).doOnError((ex) -> pending.drop()).doOnCancel(pending::drop);
	}

}
