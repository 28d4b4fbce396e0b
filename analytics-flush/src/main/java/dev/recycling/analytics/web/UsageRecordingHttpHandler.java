package dev.recycling.analytics.web;

import java.util.Map;

import dev.recycling.analytics.cache.ApiUsageCache;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Subscription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoOperator;
import reactor.util.context.Context;

import org.springframework.context.ApplicationContext;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.server.reactive.HttpHandler;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.reactive.HandlerMapping;
import org.springframework.web.server.adapter.ForwardedHeaderTransformer;
import org.springframework.web.server.adapter.HttpWebHandlerAdapter;

/**
 * Holds the usage that a {@link ReactiveUsageRecorder} records for an exchange until the
 * exchange ends, then commits it if the response was sent with a status below 400, and drops
 * it otherwise: on a 4xx or 5xx (an error becomes one in WebFlux's handling before it gets
 * here), on an error that no handling turned into a response, and when the client cancels.
 * <p>
 * It also counts the calls of handler methods annotated with {@link ApiUsage}, when their
 * response succeeds, as the servlet {@link UsageRecordingFilter} does.
 * <p>
 * It decorates the {@link HttpHandler} that WebFlux builds rather than being a
 * {@code WebFilter}: every filter costs the exchange a deferred step of the chain and a
 * checkpoint (with its description built per exchange), which measured several percent of
 * the demo's exchange. It reaches the exchange through the request it passes on, whose
 * attributes are the exchange's (Spring Framework 7): it must sit right around WebFlux's
 * {@link HttpWebHandlerAdapter}, where {@link #decorate} puts it. When that adapter
 * transforms forwarded headers (a new request), it transforms them first itself and passes
 * the transformed request on, which the adapter then leaves as it is.
 *
 * @author recycling team
 */
public final class UsageRecordingHttpHandler implements HttpHandler {

	private static final Logger logger = LoggerFactory.getLogger(UsageRecordingHttpHandler.class);

	private final HttpHandler delegate;

	private final @Nullable ForwardedHeaderTransformer forwardedHeaders;

	private final ApiUsageAnnotations annotations;

	private final ReceivedKeys keys;

	private volatile boolean unreachableReported;

	/**
	 * Create a handler.
	 * @param delegate the handler that serves the exchange, WebFlux's
	 * {@link HttpWebHandlerAdapter}
	 * @param forwardedHeaders the adapter's transformer of forwarded headers, if any
	 * @param annotations the {@link ApiUsage} annotations of the handler methods
	 * @param apiUsage the cache that annotated calls count in
	 */
	public UsageRecordingHttpHandler(HttpHandler delegate, @Nullable ForwardedHeaderTransformer forwardedHeaders,
			ApiUsageAnnotations annotations, ApiUsageCache apiUsage) {
		this.delegate = delegate;
		this.forwardedHeaders = forwardedHeaders;
		this.annotations = annotations;
		this.keys = new ReceivedKeys(apiUsage);
	}

	/**
	 * Decorate the handler WebFlux built for an application context, unless it is the handler
	 * of another context (the management server's child context on its own port, which gets
	 * the decorators of its parent too): its requests record no usage.
	 * @param handler the handler, WebFlux's {@link HttpWebHandlerAdapter} when this decorator
	 * is the innermost
	 * @param context the application context whose requests record usage
	 * @param annotations the {@link ApiUsage} annotations of the handler methods
	 * @param apiUsage the cache that annotated calls count in
	 * @return the decorated handler, or the handler as it is
	 */
	public static HttpHandler decorate(HttpHandler handler, ApplicationContext context,
			ApiUsageAnnotations annotations, ApiUsageCache apiUsage) {
		if (handler instanceof HttpWebHandlerAdapter adapter) {
			ApplicationContext built = adapter.getApplicationContext();
			if (built != null && built != context) {
				return handler;
			}
			return new UsageRecordingHttpHandler(handler, adapter.getForwardedHeaderTransformer(), annotations,
					apiUsage);
		}
		return new UsageRecordingHttpHandler(handler, null, annotations, apiUsage);
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
		ServerHttpRequest received = (this.forwardedHeaders != null) ? this.forwardedHeaders.apply(request) : request;
		// makes the exchange (nothing of it runs before the returned Mono is subscribed)
		Mono<Void> served = this.delegate.handle(received, response);
		Map<String, Object> attributes = received.getAttributes();
		if (attributes.isEmpty()) {
			// the exchange was made of another request: the recorder reports it if called
			reportUnreachable();
			return served;
		}
		ReactivePendingUsage pending = new ReactivePendingUsage(received);
		attributes.put(UsageRecorder.ATTRIBUTE, pending);
		return new Tracked(served, this, pending, attributes, response);
	}

	private void reportUnreachable() {
		if (!this.unreachableReported) {
			this.unreachableReported = true;
			logger.warn("Usage is not recorded for exchanges: WebFlux made them of another request than the one "
					+ "UsageRecordingHttpHandler passed on; an HttpHandler decorator between it and WebFlux's "
					+ "HttpWebHandlerAdapter replaces the request. Order that decorator before it (it is ordered "
					+ "last)");
		}
	}

	private void ended(ReactivePendingUsage pending, Map<String, Object> attributes, ServerHttpResponse response) {
		HttpStatusCode status = response.getStatusCode();
		if (status != null && status.value() >= 400) {
			pending.drop();
		}
		else if (pending.commit()) {
			pending.countAnnotated(this.annotations, attributes.get(HandlerMapping.BEST_MATCHING_HANDLER_ATTRIBUTE),
					this.keys);
		}
	}

	// the exchange with its usage: one operator instead of a callback for each way it ends
	private static final class Tracked extends MonoOperator<Void, Void> {

		private final UsageRecordingHttpHandler handler;

		private final ReactivePendingUsage pending;

		private final Map<String, Object> attributes;

		private final ServerHttpResponse response;

		Tracked(Mono<Void> served, UsageRecordingHttpHandler handler, ReactivePendingUsage pending,
				Map<String, Object> attributes, ServerHttpResponse response) {
			super(served);
			this.handler = handler;
			this.pending = pending;
			this.attributes = attributes;
			this.response = response;
		}

		@Override
		public void subscribe(CoreSubscriber<? super Void> actual) {
			this.source.subscribe(new Tracker(actual, this));
		}

	}

	private static final class Tracker implements CoreSubscriber<Void>, Subscription {

		private final CoreSubscriber<? super Void> actual;

		private final Tracked tracked;

		private @Nullable Subscription upstream;

		Tracker(CoreSubscriber<? super Void> actual, Tracked tracked) {
			this.actual = actual;
			this.tracked = tracked;
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
		public void onError(Throwable ex) {
			this.tracked.pending.drop();
			this.actual.onError(ex);
		}

		@Override
		public void onComplete() {
			Tracked tracked = this.tracked;
			try {
				tracked.handler.ended(tracked.pending, tracked.attributes, tracked.response);
			}
			catch (RuntimeException ex) {
				logger.error("Could not record the usage of an exchange", ex);
			}
			this.actual.onComplete();
		}

		@Override
		public void request(long n) {
			upstream().request(n);
		}

		@Override
		public void cancel() {
			this.tracked.pending.drop();
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
