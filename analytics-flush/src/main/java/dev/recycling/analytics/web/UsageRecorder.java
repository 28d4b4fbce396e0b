package dev.recycling.analytics.web;

import dev.recycling.analytics.cache.ApiUsageCache;
import dev.recycling.analytics.cache.FeatureEvaluationCache;
import dev.recycling.analytics.cache.Labels;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletRequestWrapper;
import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

/**
 * Records usage on behalf of a request, counted only if the request succeeds: the counts are
 * held with the request and committed to the caches when its response completes with a
 * status below 400, and dropped when it completes with a 4xx or 5xx, with an exception, or
 * times out. A client that retries a failed request is so counted once.
 * <p>
 * Needs the {@link UsageRecordingFilter} in front of the request, which the auto-configuration
 * registers in servlet applications.
 * <p>
 * The first record of a request makes what the request holds until its response completes
 * and keeps it as a request attribute, which the filter reads then: a request that records
 * nothing through the recorder holds nothing.
 * <p>
 * {@link #apiRequest(ServletRequest, String, String)} and {@link #clientLabels(ServletRequest)}
 * read the client's host and labels from the request's headers as the server received it:
 * under the wrappers filters add, such as Spring Security's firewall, which matches every
 * header name and value it is asked for against a regular expression (for four headers, more
 * than the rest of recording a request takes). A value with a control character other than a
 * tab is left out, as that firewall would have rejected it.
 *
 * @author recycling team
 */
public final class UsageRecorder {

	/**
	 * Header of the client application's name, label {@value Labels#CLIENT_APPLICATION_NAME}.
	 */
	public static final String CLIENT_NAME_HEADER = "X-Client-Name";

	/**
	 * Header of the client application's version, label
	 * {@value Labels#CLIENT_APPLICATION_VERSION}.
	 */
	public static final String CLIENT_VERSION_HEADER = "X-Client-Version";

	static final String ATTRIBUTE = UsageRecorder.class.getName() + ".pending";

	// servlet context attribute: a UsageRecordingFilter is in front of the context's requests
	static final String FILTERED = UsageRecorder.class.getName() + ".filtered";

	private static final int LOCKS = 16;

	// set for good before any request first holds what a recorder made for it: until then the
	// filter has no attribute to read (set and read on the request's threads, ordered by the
	// request attribute's own hand-over)
	private static volatile boolean recorded;

	private final ApiUsageCache apiUsage;

	private final UsageRecords records;

	// two threads of one request recording its first counts at once make what it holds once
	private final Object[] locks = new Object[LOCKS];

	/**
	 * Create a recorder.
	 * @param apiUsage the API-usage cache
	 * @param featureEvaluations the feature-evaluation cache
	 */
	public UsageRecorder(ApiUsageCache apiUsage, FeatureEvaluationCache featureEvaluations) {
		this.apiUsage = apiUsage;
		this.records = new UsageRecords(apiUsage, featureEvaluations);
		for (int i = 0; i < LOCKS; i++) {
			this.locks[i] = new Object();
		}
	}

	/**
	 * Count one API request if this request succeeds.
	 * @param request the request being served
	 * @param resource the resource called, such as {@code flags}
	 * @param host the host that served the request
	 * @param environmentKey the environment key of the caller
	 * @param labels the client's labels
	 */
	public void apiRequest(ServletRequest request, String resource, String host, String environmentKey,
			Labels labels) {
		pending(request).add(this.records.apiRequest(resource, host, environmentKey, labels));
	}

	/**
	 * Count one API request if this request succeeds, with the host the client called (its
	 * {@code Host} header, or the server's name) and the client's labels
	 * ({@link #clientLabels(ServletRequest)}).
	 * @param request the request being served
	 * @param resource the resource called, such as {@code flags}
	 * @param environmentKey the environment key of the caller
	 */
	public void apiRequest(ServletRequest request, String resource, String environmentKey) {
		ServletPendingUsage pending = servletPending(request);
		// the headers are read when the record is committed, in the filter, off the handler's
		// path (which the JIT compiles with the framework's code around it)
		pending.add(() -> this.apiUsage.record(resource, pending.host(), environmentKey, pending.clientLabels()));
	}

	/**
	 * Return the client's labels from the request's headers: {@value #CLIENT_NAME_HEADER},
	 * {@value #CLIENT_VERSION_HEADER} and {@code User-Agent}, normalized by
	 * {@link Labels#client(String, String, String)}.
	 * @param request the request being served
	 * @return the labels, {@link Labels#NONE} if it sent none of them
	 */
	public Labels clientLabels(ServletRequest request) {
		if (received(request) instanceof HttpServletRequest received) {
			return new ServletPendingUsage(received).clientLabels();
		}
		throw new IllegalStateException("Not an HTTP request: it has no headers to read the client's labels from");
	}

	/**
	 * Count feature evaluations if this request succeeds.
	 * @param request the request being served
	 * @param feature the feature
	 * @param environmentKey the environment key of the caller
	 * @param labels the client's labels
	 * @param count how many evaluations, zero or more
	 */
	public void featureEvaluations(ServletRequest request, String feature, String environmentKey, Labels labels,
			long count) {
		Runnable record = this.records.featureEvaluations(feature, environmentKey, labels, count);
		pending(request).add(record);
	}

	private ServletPendingUsage servletPending(ServletRequest request) {
		if (pending(request) instanceof ServletPendingUsage servlet) {
			return servlet;
		}
		throw new IllegalStateException("Not an HTTP request: pass the host and labels to record it");
	}

	private PendingUsage pending(ServletRequest request) {
		PendingUsage pending = pendingOf(request);
		if (pending != null) {
			return pending;
		}
		if (request.getServletContext().getAttribute(FILTERED) == null) {
			throw new IllegalStateException("No UsageRecordingFilter in front of this request: register it (the "
					+ "auto-configuration does in servlet applications) or record to the caches directly");
		}
		ServletRequest received = received(request);
		synchronized (this.locks[System.identityHashCode(received) & (LOCKS - 1)]) {
			pending = pendingOf(request);
			if (pending == null) {
				pending = (received instanceof HttpServletRequest http) ? ServletPendingUsage.of(http)
						: new PendingUsage();
				recorded = true;
				request.setAttribute(ATTRIBUTE, pending);
			}
			return pending;
		}
	}

	// what the request holds, null if it recorded nothing: a request attribute read only once a
	// recorder has recorded for any request (most applications count by @ApiUsage alone)
	static @Nullable PendingUsage pendingOf(ServletRequest request) {
		return recorded ? (PendingUsage) request.getAttribute(ATTRIBUTE) : null;
	}

	// the request as the server received it, under every wrapper
	static ServletRequest received(ServletRequest request) {
		ServletRequest received = request;
		while (received instanceof ServletRequestWrapper wrapper) {
			received = wrapper.getRequest();
		}
		return received;
	}

}
