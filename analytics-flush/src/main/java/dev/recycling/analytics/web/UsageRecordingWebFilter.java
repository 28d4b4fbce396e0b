package dev.recycling.analytics.web;

import reactor.core.publisher.Mono;

import org.springframework.http.HttpStatusCode;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

/**
 * Holds the usage that a {@link ReactiveUsageRecorder} records for an exchange until the
 * exchange ends, then commits it if the response was sent with a status below 400, and drops
 * it otherwise: on an error (which WebFlux turns into a 4xx or 5xx after the filters), on a
 * 4xx or 5xx, and when the client cancels.
 *
 * @author recycling team
 */
public final class UsageRecordingWebFilter implements WebFilter {

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		PendingUsage pending = new ReactivePendingUsage(exchange.getRequest());
		exchange.getAttributes().put(UsageRecorder.ATTRIBUTE, pending);
		return chain.filter(exchange).doOnSuccess((done) -> {
			HttpStatusCode status = exchange.getResponse().getStatusCode();
			if (status == null || status.value() < 400) {
				pending.commit();
			}
			else {
				pending.drop();
			}
		}).doOnError((ex) -> pending.drop()).doOnCancel(pending::drop);
	}

}
