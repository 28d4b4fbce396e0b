package dev.recycling.analytics.web;

import dev.recycling.analytics.cache.ApiUsageCache;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoOperator;
import reactor.util.context.Context;

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
		return new Completion(chain.filter(exchange), this, exchange, pending);
	}

	// the chain completed: commit if the response succeeded, drop otherwise
	private void complete(ServerWebExchange exchange, ReactivePendingUsage pending) {
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
	}

	/**
	 * The chain of one exchange, with its end seen by one subscriber of its own: completed,
	 * failed or cancelled. Every exchange goes through it, and this costs less than the three
	 * operators ({@code doOnSuccess}, {@code doOnError}, {@code doOnCancel}) that would say
	 * the same.
	 */
	private static final class Completion extends MonoOperator<Void, Void> {

		private final UsageRecordingWebFilter filter;

		private final ServerWebExchange exchange;

		private final ReactivePendingUsage pending;

		Completion(Mono<Void> chain, UsageRecordingWebFilter filter, ServerWebExchange exchange,
				ReactivePendingUsage pending) {
			super(chain);
			this.filter = filter;
			this.exchange = exchange;
			this.pending = pending;
		}

		@Override
		public void subscribe(CoreSubscriber<? super Void> actual) {
			this.source.subscribe(new CompletionSubscriber(actual, this));
		}

	}

	private static final class CompletionSubscriber implements CoreSubscriber<Void>, Subscription {

		private final CoreSubscriber<? super Void> actual;

		private final Completion completion;

		private @Nullable Subscription upstream;

		CompletionSubscriber(CoreSubscriber<? super Void> actual, Completion completion) {
			this.actual = actual;
			this.completion = completion;
		}

		@Override
		public Context currentContext() {
			return this.actual.currentContext();
		}

		@Override
		public void onSubscribe(Subscription subscription) {
			this.upstream = subscription;
			this.actual.onSubscribe(this);
		}

		@Override
		public void onNext(Void value) {
			this.actual.onNext(value);
		}

		@Override
		public void onError(Throwable error) {
			this.completion.pending.drop();
			this.actual.onError(error);
		}

		@Override
		public void onComplete() {
			try {
				this.completion.filter.complete(this.completion.exchange, this.completion.pending);
			}
			catch (RuntimeException ex) {
				// as doOnSuccess would: the exchange fails with it
				this.actual.onError(ex);
				return;
			}
			this.actual.onComplete();
		}

		@Override
		public void request(long n) {
			upstream().request(n);
		}

		@Override
		public void cancel() {
			this.completion.pending.drop();
			upstream().cancel();
		}

		private Subscription upstream() {
			Subscription upstream = this.upstream;
			if (upstream == null) {
				throw new IllegalStateException("Not subscribed");
			}
			return upstream;
		}

	}

}
