package dev.recycling.trigger;

import java.io.IOException;

import dev.recycling.drain.RequestActivity;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Counts completed application requests for the {@link RecycleTriggers} and records the
 * traffic the drain gate watches: application requests in flight, and the answers to
 * readiness probes. Requests under the actuator's base path (probes, metrics scrapes) are
 * not application requests.
 * <p>
 * While the generation is closing, responses carry {@code Connection: close} so that
 * keep-alive clients open their next connection to the next generation instead of reusing
 * one that is about to close.
 *
 * @author recycling team
 */
public final class RequestCountingFilter implements Filter {

	private final RecycleTriggers triggers;

	private final RequestActivity activity;

	private final String excludedPathPrefix;

	private final String readinessPath;

	/**
	 * Create a filter.
	 * @param triggers the triggers of the generation
	 * @param activity the traffic record of the drain gate
	 * @param excludedPathPrefix requests whose path (after the context path) starts with it
	 * are not application requests, usually {@code /actuator}
	 * @param readinessPath the path of the readiness probe, usually
	 * {@code /actuator/health/readiness}
	 */
	public RequestCountingFilter(RecycleTriggers triggers, RequestActivity activity, String excludedPathPrefix,
			String readinessPath) {
		this.triggers = triggers;
		this.activity = activity;
		this.excludedPathPrefix = excludedPathPrefix;
		this.readinessPath = readinessPath;
	}

	@Override
	public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
			throws IOException, ServletException {
		if (this.activity.isClosingConnections() && response instanceof HttpServletResponse http) {
			http.setHeader("Connection", "close");
		}
		String path = (request instanceof HttpServletRequest http) ? http.getServletPath() : "";
		if (path.equals(this.readinessPath)) {
			try {
				chain.doFilter(request, response);
			}
			finally {
				if (response instanceof HttpServletResponse http) {
					this.activity.readinessProbeAnswered(http.getStatus());
				}
			}
			return;
		}
		if (!this.excludedPathPrefix.isEmpty() && path.startsWith(this.excludedPathPrefix)) {
			chain.doFilter(request, response);
			return;
		}
		this.activity.applicationRequestStarted();
		try {
			chain.doFilter(request, response);
		}
		finally {
			this.activity.applicationRequestFinished();
			this.triggers.countRequest();
		}
	}

}
