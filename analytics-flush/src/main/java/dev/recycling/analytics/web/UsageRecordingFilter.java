package dev.recycling.analytics.web;

import java.io.IOException;

import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Commits the usage a request recorded through {@link UsageRecorder} when its response
 * completes with a status below 400, and drops it otherwise (a 4xx or 5xx status, an
 * exception, an asynchronous error or timeout). It must run before anything that turns an
 * exception into a response, so that it sees the final status: the auto-configuration
 * registers it right after the request counting filter.
 *
 * @author recycling team
 */
public final class UsageRecordingFilter implements Filter {

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
				request.getAsyncContext().addListener(new CompletionListener(pending, response));
			}
			else {
				complete(pending, response);
			}
		}
	}

	static void complete(PendingUsage pending, ServletResponse response) {
		if (response instanceof HttpServletResponse http && http.getStatus() < 400) {
			pending.commit();
		}
		else {
			pending.drop();
		}
	}

	private record CompletionListener(PendingUsage pending, ServletResponse response) implements AsyncListener {

		@Override
		public void onComplete(AsyncEvent event) {
			complete(this.pending, this.response);
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
