package dev.recycling.analytics.web;

import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

import dev.recycling.analytics.cache.ApiUsageCache;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;

import org.springframework.web.servlet.HandlerMapping;

/**
 * Commits the usage a request recorded through {@link UsageRecorder} when its response
 * completes with a status below 400, and drops it otherwise (a 4xx or 5xx status, an
 * exception, an asynchronous error or timeout). It must run before anything that turns an
 * exception into a response, so that it sees the final status: the auto-configuration
 * registers it right after the request counting filter, for the requests' first
 * ({@link DispatcherType#REQUEST}) dispatch; the others (forward, include, error, async) of
 * a request it tracks pass through.
 * <p>
 * It also counts the calls of handler methods annotated with {@link ApiUsage}, when their
 * response succeeds: the recording happens here, after the handler, and the handler holds no
 * recording code.
 * <p>
 * A request that records nothing through the recorder costs no more than a request
 * attribute read once its response completes, and not that in an application that has never
 * recorded through one: the recorder makes what a request holds on its first record.
 *
 * @author recycling team
 */
public final class UsageRecordingFilter implements Filter {

	private final ApiUsageAnnotations annotations;

	private final ReceivedKeys keys;

	// complete(request, response), called through a handle that is no constant, which C2 does
	// not inline: with the count inlined into doFilter, the demo's request threads measured
	// 7.4 µs a request more than off where they measured 1.2 with it compiled apart
	// (docs/benchmarks.md, the sixth session)
	private final MethodHandle completion;

	// the servlet context last marked as having this filter in front of its requests (the
	// recorder checks the mark); a race only marks a context twice
	private @Nullable ServletContext marked;

	/**
	 * Create a filter.
	 * @param annotations the {@link ApiUsage} annotations of the handler methods
	 * @param apiUsage the cache that annotated calls count in
	 */
	public UsageRecordingFilter(ApiUsageAnnotations annotations, ApiUsageCache apiUsage) {
		this.annotations = annotations;
		this.keys = new ReceivedKeys(apiUsage);
		this.completion = completion();
	}

	private static MethodHandle completion() {
		try {
			return MethodHandles.lookup()
				.findVirtual(UsageRecordingFilter.class, "complete",
						MethodType.methodType(void.class, ServletRequest.class, ServletResponse.class));
		}
		catch (ReflectiveOperationException ex) {
			throw new IllegalStateException(ex);
		}
	}

	@Override
	public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
			throws IOException, ServletException {
		if (request.getDispatcherType() != DispatcherType.REQUEST) {
			// an inner dispatch of a request that its first dispatch tracks
			chain.doFilter(request, response);
			return;
		}
		mark(request.getServletContext());
		boolean completed = false;
		try {
			chain.doFilter(request, response);
			completed = true;
		}
		finally {
			if (!completed) {
				drop(request);
			}
			else if (request.isAsyncStarted()) {
				request.getAsyncContext().addListener(new CompletionListener(this, request, response));
			}
			else {
				completeApart(request, response);
			}
		}
	}

	private void completeApart(ServletRequest request, ServletResponse response) {
		try {
			this.completion.invokeExact(this, request, response);
		}
		catch (RuntimeException | Error ex) {
			throw ex;
		}
		catch (Throwable ex) {
			throw new IllegalStateException(ex);
		}
	}

	private void mark(ServletContext context) {
		if (context != this.marked) {
			context.setAttribute(UsageRecorder.FILTERED, Boolean.TRUE);
			this.marked = context;
		}
	}

	private void complete(ServletRequest request, ServletResponse response) {
		PendingUsage pending = UsageRecorder.pendingOf(request);
		if (!(response instanceof HttpServletResponse http) || http.getStatus() >= 400) {
			if (pending != null) {
				pending.drop();
			}
			return;
		}
		ReceivedRequestUsage usage = (pending != null) ? committed(pending) : received(request);
		if (usage != null) {
			usage.countAnnotated(this.annotations, handler(request), this.keys);
		}
	}

	// the pending usage if committed now (by no dispatch before), with the request as received
	private static @Nullable ReceivedRequestUsage committed(PendingUsage pending) {
		return (pending.commit() && pending instanceof ServletPendingUsage servlet) ? servlet : null;
	}

	// a request that recorded nothing through the recorder: the request as received
	private static @Nullable ReceivedRequestUsage received(ServletRequest request) {
		return (UsageRecorder.received(request) instanceof HttpServletRequest received)
				? ServletPendingUsage.of(received) : null;
	}

	private static @Nullable Object handler(ServletRequest request) {
		return request.getAttribute(HandlerMapping.BEST_MATCHING_HANDLER_ATTRIBUTE);
	}

	private static void drop(ServletRequest request) {
		PendingUsage pending = UsageRecorder.pendingOf(request);
		if (pending != null) {
			pending.drop();
		}
	}

	private static final class CompletionListener implements AsyncListener {

		private final UsageRecordingFilter filter;

		private final ServletRequest request;

		private final ServletResponse response;

		// timed out or failed before it completed: nothing of it counts
		private volatile boolean failed;

		CompletionListener(UsageRecordingFilter filter, ServletRequest request, ServletResponse response) {
			this.filter = filter;
			this.request = request;
			this.response = response;
		}

		@Override
		public void onComplete(AsyncEvent event) {
			if (this.failed) {
				drop(this.request);
			}
			else {
				this.filter.complete(this.request, this.response);
			}
		}

		@Override
		public void onTimeout(AsyncEvent event) {
			fail();
		}

		@Override
		public void onError(AsyncEvent event) {
			fail();
		}

		private void fail() {
			this.failed = true;
			drop(this.request);
		}

		@Override
		public void onStartAsync(AsyncEvent event) {
			event.getAsyncContext().addListener(this);
		}

	}

}
