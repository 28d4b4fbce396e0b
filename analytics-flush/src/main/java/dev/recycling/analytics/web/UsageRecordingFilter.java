package dev.recycling.analytics.web;

import java.io.IOException;

import dev.recycling.analytics.cache.ApiUsageCache;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.web.servlet.HandlerMapping;

/**
 * Commits the usage a request recorded through {@link UsageRecorder} when its response
 * completes with a status below 400, and drops it otherwise (a 4xx or 5xx status, an
 * exception, an asynchronous error or timeout). It must run before anything that turns an
 * exception into a response, so that it sees the final status: the auto-configuration
 * registers it right after the request counting filter.
 * <p>
 * It also counts the calls of handler methods annotated with {@link ApiUsage}, when their
 * response succeeds: the recording happens here, after the handler, and the handler holds no
 * recording code.
 *
 * @author recycling team
 */
public final class UsageRecordingFilter implements Filter {

	private final ApiUsageAnnotations annotations;

	private final ApiUsageCache apiUsage;

	private final ReceivedKeys keys = new ReceivedKeys();

	/**
	 * Create a filter.
	 * @param annotations the {@link ApiUsage} annotations of the handler methods
	 * @param apiUsage the cache that annotated calls count in
	 */
	public UsageRecordingFilter(ApiUsageAnnotations annotations, ApiUsageCache apiUsage) {
		this.annotations = annotations;
		this.apiUsage = apiUsage;
	}

	@Override
	public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
			throws IOException, ServletException {
		if (request.getAttribute(UsageRecorder.ATTRIBUTE) != null) {
			// an inner dispatch (forward, error, async) of a request that is already tracked
			chain.doFilter(request, response);
			return;
		}
		PendingUsage pending = (request instanceof HttpServletRequest http) ? new ServletPendingUsage(http)
				: new PendingUsage();
		request.setAttribute(UsageRecorder.ATTRIBUTE, pending);
		boolean completed = false;
		try {
			chain.doFilter(request, response);
			completed = true;
		}
		finally {
			if (!completed) {
				pending.drop();
			}
			else if (request.isAsyncStarted()) {
				request.getAsyncContext().addListener(new CompletionListener(this, request, pending, response));
			}
			else {
				complete(request, pending, response);
			}
		}
	}

	private void complete(ServletRequest request, PendingUsage pending, ServletResponse response) {
		if (response instanceof HttpServletResponse http && http.getStatus() < 400) {
			if (pending.commit() && pending instanceof ServletPendingUsage servlet) {
				servlet.countAnnotated(this.annotations,
						request.getAttribute(HandlerMapping.BEST_MATCHING_HANDLER_ATTRIBUTE), this.apiUsage, this.keys);
			}
		}
		else {
			pending.drop();
		}
	}

	private record CompletionListener(UsageRecordingFilter filter, ServletRequest request, PendingUsage pending,
			ServletResponse response) implements AsyncListener {

		@Override
		public void onComplete(AsyncEvent event) {
			this.filter.complete(this.request, this.pending, this.response);
		}

		@Override
		public void onTimeout(AsyncEvent event) {
			this.pending.drop();
		}

		@Override
		public void onError(AsyncEvent event) {
			this.pending.drop();
		}

		@Override
		public void onStartAsync(AsyncEvent event) {
			event.getAsyncContext().addListener(this);
		}

	}

}
