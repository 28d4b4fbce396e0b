package dev.recycling.trigger;

import java.io.IOException;
import java.util.function.BooleanSupplier;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Counts completed application requests for the {@link RecycleTriggers}. Requests under
 * the actuator's base path (probes, metrics scrapes) are not counted.
 * <p>
 * While the generation is closing, responses carry {@code Connection: close} so that
 * keep-alive clients open their next connection to the next generation instead of reusing
 * one that is about to close.
 *
 * @author recycling team
 */
public final class RequestCountingFilter implements Filter {

	private final RecycleTriggers triggers;

	private final String excludedPathPrefix;

	private final BooleanSupplier closing;

	/**
	 * Create a filter.
	 * @param triggers the triggers of the generation
	 * @param excludedPathPrefix requests whose path (after the context path) starts with it
	 * are not counted, usually {@code /actuator}
	 * @param closing whether the generation is closing
	 */
	public RequestCountingFilter(RecycleTriggers triggers, String excludedPathPrefix, BooleanSupplier closing) {
		this.triggers = triggers;
		this.excludedPathPrefix = excludedPathPrefix;
		this.closing = closing;
	}

	@Override
	public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
			throws IOException, ServletException {
		if (this.closing.getAsBoolean() && response instanceof HttpServletResponse http) {
			http.setHeader("Connection", "close");
		}
		try {
			chain.doFilter(request, response);
		}
		finally {
			if (!isExcluded(request)) {
				this.triggers.requestCompleted();
			}
		}
	}

	private boolean isExcluded(ServletRequest request) {
		return !this.excludedPathPrefix.isEmpty() && request instanceof HttpServletRequest http
				&& http.getServletPath().startsWith(this.excludedPathPrefix);
	}

}
