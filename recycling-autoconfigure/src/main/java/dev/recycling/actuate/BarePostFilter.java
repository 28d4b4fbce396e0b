package dev.recycling.actuate;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import org.jspecify.annotations.Nullable;

/**
 * Lets a bare {@code POST} (no body, no {@code Content-Type}, as
 * {@code curl -X POST .../actuator/recycling} sends) reach the {@code recycling} endpoint's
 * write operation, the way Spring Boot's own {@code shutdown} endpoint takes one. The
 * operation has an optional parameter, so the actuator maps it for JSON bodies only and
 * would answer 415; this filter presents such a request as an empty JSON object. A request
 * with a body or a content type is left as it is.
 *
 * @author recycling team
 */
public final class BarePostFilter implements Filter {

	private static final byte[] EMPTY_OBJECT = "{}".getBytes(StandardCharsets.UTF_8);

	private final String path;

	/**
	 * Create the filter.
	 * @param path the endpoint's path below the context path, such as
	 * {@code /actuator/recycling}
	 */
	public BarePostFilter(String path) {
		this.path = path;
	}

	@Override
	public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
			throws IOException, ServletException {
		if (request instanceof HttpServletRequest http && isBarePost(http)) {
			chain.doFilter(new EmptyJsonRequest(http), response);
			return;
		}
		chain.doFilter(request, response);
	}

	private boolean isBarePost(HttpServletRequest request) {
		if (!"POST".equals(request.getMethod()) || request.getContentType() != null
				|| request.getContentLengthLong() > 0 || request.getHeader("Transfer-Encoding") != null) {
			return false;
		}
		String uri = request.getRequestURI().substring(request.getContextPath().length());
		return uri.equals(this.path) || uri.equals(this.path + "/");
	}

	private static final class EmptyJsonRequest extends HttpServletRequestWrapper {

		private static final String CONTENT_TYPE = "Content-Type";

		private static final String JSON = "application/json";

		EmptyJsonRequest(HttpServletRequest request) {
			super(request);
		}

		@Override
		public String getContentType() {
			return JSON;
		}

		@Override
		public int getContentLength() {
			return EMPTY_OBJECT.length;
		}

		@Override
		public long getContentLengthLong() {
			return EMPTY_OBJECT.length;
		}

		@Override
		public @Nullable String getHeader(String name) {
			if (CONTENT_TYPE.equalsIgnoreCase(name)) {
				return JSON;
			}
			if ("Content-Length".equalsIgnoreCase(name)) {
				return Integer.toString(EMPTY_OBJECT.length);
			}
			return super.getHeader(name);
		}

		@Override
		public Enumeration<String> getHeaders(String name) {
			if (CONTENT_TYPE.equalsIgnoreCase(name) || "Content-Length".equalsIgnoreCase(name)) {
				return Collections.enumeration(List.of(getHeader(name)));
			}
			return super.getHeaders(name);
		}

		@Override
		public Enumeration<String> getHeaderNames() {
			List<String> names = new ArrayList<>(Collections.list(super.getHeaderNames()));
			names.removeIf((name) -> CONTENT_TYPE.equalsIgnoreCase(name) || "Content-Length".equalsIgnoreCase(name));
			names.add(CONTENT_TYPE);
			names.add("Content-Length");
			return Collections.enumeration(names);
		}

		@Override
		public ServletInputStream getInputStream() {
			ByteArrayInputStream body = new ByteArrayInputStream(EMPTY_OBJECT);
			return new ServletInputStream() {

				@Override
				public int read() {
					return body.read();
				}

				@Override
				public boolean isFinished() {
					return body.available() == 0;
				}

				@Override
				public boolean isReady() {
					return true;
				}

				@Override
				public void setReadListener(ReadListener listener) {
					throw new UnsupportedOperationException("The empty body is read synchronously");
				}

			};
		}

	}

}
