package dev.recycling.benchmarks.analytics;

import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.recycling.analytics.cache.ApiUsageCache;
import dev.recycling.analytics.cache.ApiUsageKey;
import dev.recycling.analytics.cache.UsageCount;
import dev.recycling.analytics.cache.UsageCounter;
import dev.recycling.analytics.web.ApiUsage;
import dev.recycling.analytics.web.ApiUsageAnnotations;
import dev.recycling.analytics.web.UsageRecorder;
import dev.recycling.analytics.web.UsageRecordingFilter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.catalina.Context;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.core.StandardContext;
import org.apache.catalina.core.StandardEngine;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.core.StandardService;
import org.apache.tomcat.util.http.MimeHeaders;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerMapping;

/**
 * What the {@code @ApiUsage} count costs a request on the request thread, measured on Tomcat's
 * own request and response objects (not mocks): the same request passed to a handler-like chain
 * directly (the baseline) and through {@link UsageRecordingFilter}, which then looks the handler
 * method's annotation up, reads the host, environment key and the client's name and version,
 * and records one count. Every invocation starts from the headers as Tomcat's parser leaves them
 * (bytes, not yet decoded), the chain reads the environment key as the demo's controller does,
 * and two more variants have the chain read the other headers too, as an application that
 * reads them itself would, so that their decoding is not the count's. The difference to the baseline
 * is the count's cost; a request of the demo costs about 100 µs of CPU on the same machine
 * (see {@code docs/benchmarks.md}).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(2)
public class CountOnTomcatBenchmark {

	private static final String ENVIRONMENT_KEY_HEADER = ApiUsage.ENVIRONMENT_KEY_HEADER;

	// the request head as wrk sends it in benchmarks/scenarios/hot-path-wrk.sh
	private static final String[][] HEADERS = { { "Host", "127.0.0.1:18101" },
			{ ENVIRONMENT_KEY_HEADER, "demo-production" }, { UsageRecorder.CLIENT_NAME_HEADER, "hot-path-wrk" },
			{ UsageRecorder.CLIENT_VERSION_HEADER, "1.0" } };

	private final byte[][] values = new byte[HEADERS.length][];

	private final UsageCounter<ApiUsageKey> counter = new UsageCounter<>(10_000, System::currentTimeMillis, () -> {
	});

	private final ApiUsageCache apiUsage = new ApiUsageCache(this.counter);

	private final UsageRecordingFilter filter = new UsageRecordingFilter(new ApiUsageAnnotations(), this.apiUsage);

	private final FilterChain handler = (request, response) -> handle((HttpServletRequest) request,
			(HttpServletResponse) response, false);

	private final FilterChain handlerReadingHeaders = (request, response) -> handle((HttpServletRequest) request,
			(HttpServletResponse) response, true);

	private Request request;

	private Response response;

	private HandlerMethod flags;

	private long read;

	@Setup(Level.Trial)
	public void createRequest() throws NoSuchMethodException {
		for (int i = 0; i < HEADERS.length; i++) {
			this.values[i] = HEADERS[i][1].getBytes(StandardCharsets.ISO_8859_1);
		}
		this.request = new Request(new Connector(), new org.apache.coyote.Request());
		this.request.getMappingData().context = webApplication();
		this.response = new Response(new org.apache.coyote.Response());
		this.response.setRequest(this.request);
		Method method = Flags.class.getMethod("flags");
		this.flags = new HandlerMethod(new Flags(), method);
		checkThatTheFilterCounts();
	}

	// the web application a request is mapped to (the filter marks its servlet context), in the
	// containers its servlet context is made from
	private static Context webApplication() {
		StandardEngine engine = new StandardEngine();
		new StandardService().setContainer(engine);
		StandardHost host = new StandardHost();
		host.setParent(engine);
		StandardContext context = new StandardContext();
		context.setParent(host);
		return context;
	}

	// a benchmark of a filter that counts nothing would measure nothing
	private void checkThatTheFilterCounts() {
		try {
			usageFilter();
		}
		catch (IOException | ServletException ex) {
			throw new IllegalStateException(ex);
		}
		if (this.counter.drain().stream().mapToLong(UsageCount::count).sum() != 1) {
			throw new IllegalStateException("UsageRecordingFilter did not count the request");
		}
	}

	@Benchmark
	public long withoutCount() throws IOException, ServletException {
		HttpServletRequest request = nextRequest();
		this.handler.doFilter(request, this.response.getResponse());
		return this.read;
	}

	@Benchmark
	public long withoutCountHeadersReadByApplication() throws IOException, ServletException {
		HttpServletRequest request = nextRequest();
		this.handlerReadingHeaders.doFilter(request, this.response.getResponse());
		return this.read;
	}

	@Benchmark
	public long usageFilter() throws IOException, ServletException {
		HttpServletRequest request = nextRequest();
		this.filter.doFilter(request, this.response.getResponse(), this.handler);
		return this.read;
	}

	@Benchmark
	public long usageFilterHeadersReadByApplication() throws IOException, ServletException {
		HttpServletRequest request = nextRequest();
		this.filter.doFilter(request, this.response.getResponse(), this.handlerReadingHeaders);
		return this.read;
	}

	// the headers as Tomcat's parser leaves them for a new request on the connection
	private HttpServletRequest nextRequest() {
		for (String name : Collections.list(this.request.getAttributeNames())) {
			this.request.removeAttribute(name);
		}
		MimeHeaders headers = this.request.getCoyoteRequest().getMimeHeaders();
		headers.recycle();
		for (int i = 0; i < HEADERS.length; i++) {
			headers.addValue(HEADERS[i][0]).setBytes(this.values[i], 0, this.values[i].length);
		}
		return this.request.getRequest();
	}

	// what Spring MVC leaves for the filter: the handler method in the request, status 200
	private void handle(HttpServletRequest request, HttpServletResponse response, boolean readHeaders) {
		request.setAttribute(HandlerMapping.BEST_MATCHING_HANDLER_ATTRIBUTE, this.flags);
		this.read += request.getHeader(ENVIRONMENT_KEY_HEADER).length();
		if (readHeaders) {
			for (String[] header : HEADERS) {
				this.read += request.getHeader(header[0]).length();
			}
		}
		response.setStatus(HttpServletResponse.SC_OK);
	}

	/**
	 * A handler like the demo's flags API.
	 */
	public static class Flags {

		@ApiUsage("flags")
		public List<String> flags() {
			return List.of();
		}

	}

}
