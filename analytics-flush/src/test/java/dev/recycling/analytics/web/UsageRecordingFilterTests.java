package dev.recycling.analytics.web;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.recycling.analytics.cache.ApiUsageCache;
import dev.recycling.analytics.cache.ApiUsageKey;
import dev.recycling.analytics.cache.FeatureEvaluationCache;
import dev.recycling.analytics.cache.Labels;
import dev.recycling.analytics.cache.UsageCounter;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.mock.web.MockAsyncContext;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerMapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Tests for {@link UsageRecordingFilter} and {@link UsageRecorder}: what a request records
 * counts only if its response succeeds. The demo's API tests show the same over real HTTP.
 */
class UsageRecordingFilterTests {

	private final ApiUsageCache apiUsage = new ApiUsageCache(new UsageCounter<>(100, System::currentTimeMillis, () -> {
	}));

	private final FeatureEvaluationCache evaluations = new FeatureEvaluationCache(
			new UsageCounter<>(100, System::currentTimeMillis, () -> {
			}));

	private final UsageRecorder recorder = new UsageRecorder(this.apiUsage, this.evaluations);

	private final ApiUsageAnnotations annotations = new ApiUsageAnnotations();

	private final UsageRecordingFilter filter = new UsageRecordingFilter(this.annotations, this.apiUsage);

	@Test
	void aSuccessfulResponseCommitsWhatTheRequestRecorded() throws Exception {
		serve(recordingWithStatus(200));
		serve(recordingWithStatus(304));
		assertThat(this.apiUsage.total()).isEqualTo(2);
		assertThat(this.evaluations.total()).isEqualTo(6);
	}

	@Test
	void aClientOrServerErrorDropsWhatTheRequestRecorded() throws Exception {
		serve(recordingWithStatus(406));
		serve(recordingWithStatus(404));
		serve(recordingWithStatus(503));
		assertThat(this.apiUsage.total()).isZero();
		assertThat(this.evaluations.total()).isZero();
	}

	@Test
	void anExceptionDropsWhatTheRequestRecorded() {
		FilterChain failing = (request, response) -> {
			this.recorder.apiRequest(request, "flags", "h", "env", Labels.NONE);
			throw new ServletException("handler failed");
		};
		assertThatExceptionOfType(ServletException.class).isThrownBy(() -> serve(failing));
		assertThat(this.apiUsage.total()).isZero();
	}

	@Test
	void anAsynchronousRequestCountsWhenItCompletesSuccessfully() throws Exception {
		MockHttpServletRequest request = asyncRequest();
		MockHttpServletResponse response = new MockHttpServletResponse();
		this.filter.doFilter(request, response, (req, res) -> {
			this.recorder.apiRequest(req, "flags", "h", "env", Labels.NONE);
			req.startAsync();
		});
		assertThat(this.apiUsage.total()).as("not before completion").isZero();
		((MockAsyncContext) request.getAsyncContext()).complete();
		assertThat(this.apiUsage.total()).isEqualTo(1);
	}

	@Test
	void anAsynchronousRequestIsCountedWithItsHeadersWhenItCompletes() throws Exception {
		MockHttpServletRequest request = asyncRequest();
		request.addHeader("Host", "api.example.com");
		request.addHeader(UsageRecorder.CLIENT_NAME_HEADER, "web");
		this.filter.doFilter(request, new MockHttpServletResponse(), (req, res) -> {
			this.recorder.apiRequest(req, "flags", "env");
			req.startAsync();
		});
		assertThat(this.apiUsage.total()).as("not before completion").isZero();
		((MockAsyncContext) request.getAsyncContext()).complete();
		assertThat(this.apiUsage.drain()).singleElement()
			.satisfies((count) -> assertThat(count.key())
				.isEqualTo(new ApiUsageKey("flags", "api.example.com", "env", Labels.client("web", null, null))));
	}

	@Test
	void anAsynchronousRequestThatTimesOutCountsNothing() throws Exception {
		MockHttpServletRequest request = asyncRequest();
		MockHttpServletResponse response = new MockHttpServletResponse();
		this.filter.doFilter(request, response, (req, res) -> {
			this.recorder.apiRequest(req, "flags", "h", "env", Labels.NONE);
			req.startAsync();
		});
		MockAsyncContext async = (MockAsyncContext) request.getAsyncContext();
		async.getListeners().forEach((listener) -> {
			try {
				listener.onTimeout(new jakarta.servlet.AsyncEvent(async));
			}
			catch (IOException ex) {
				throw new IllegalStateException(ex);
			}
		});
		async.complete();
		assertThat(this.apiUsage.total()).isZero();
	}

	@Test
	void hostAndClientLabelsAreReadFromTheRequestAsTheServerReceivedIt() throws Exception {
		MockHttpServletRequest request = new MockHttpServletRequest("GET", "/api/v1/flags");
		request.addHeader("Host", "api.example.com");
		request.addHeader(UsageRecorder.CLIENT_NAME_HEADER, " web ");
		request.addHeader(UsageRecorder.CLIENT_VERSION_HEADER, "1.2");
		request.addHeader("User-Agent", "curl/8");
		List<Labels> labels = new ArrayList<>();
		this.filter.doFilter(request, new MockHttpServletResponse(), (req, res) -> {
			// as a later filter's wrapper (Spring Security's firewall) that validates each header read
			HttpServletRequest wrapped = new HttpServletRequestWrapper((HttpServletRequest) req) {

				@Override
				public String getHeader(String name) {
					throw new AssertionError("read through the wrapper: " + name);
				}

			};
			this.recorder.apiRequest(wrapped, "flags", "env");
			labels.add(this.recorder.clientLabels(wrapped));
		});
		Labels client = Labels.client("web", "1.2", "curl/8");
		assertThat(this.apiUsage.drain()).singleElement()
			.satisfies((count) -> assertThat(count.key())
				.isEqualTo(new ApiUsageKey("flags", "api.example.com", "env", client)));
		assertThat(labels).containsExactly(client);
	}

	@Test
	void aHeaderWithAControlCharacterIsLeftOutAndTheHostIsTheServersWithoutAHostHeader() throws Exception {
		MockHttpServletRequest request = new MockHttpServletRequest("GET", "/api/v1/flags");
		request.setServerName("served.example.com");
		request.addHeader(UsageRecorder.CLIENT_NAME_HEADER, "web\u0007");
		request.addHeader(UsageRecorder.CLIENT_VERSION_HEADER, "1.2\t(beta)");
		this.filter.doFilter(request, new MockHttpServletResponse(),
				(req, res) -> this.recorder.apiRequest(req, "flags", "env"));
		assertThat(this.apiUsage.drain()).singleElement()
			.satisfies((count) -> assertThat(count.key()).isEqualTo(new ApiUsageKey("flags", "served.example.com",
					"env", Labels.of(Map.of(Labels.CLIENT_APPLICATION_VERSION, "1.2\t(beta)")))));
	}

	@Test
	void anAnnotatedHandlerIsCountedWhenItsResponseSucceedsWithTheClientsHeaders() throws Exception {
		MockHttpServletRequest request = new MockHttpServletRequest("GET", "/api/v1/flags");
		request.addHeader("Host", "api.example.com");
		request.addHeader(ApiUsage.ENVIRONMENT_KEY_HEADER, "env");
		request.addHeader(UsageRecorder.CLIENT_NAME_HEADER, "web");
		this.filter.doFilter(request, new MockHttpServletResponse(), handledBy("flags", 200));
		assertThat(this.apiUsage.drain()).singleElement()
			.satisfies((count) -> assertThat(count.key())
				.isEqualTo(new ApiUsageKey("flags", "api.example.com", "env", Labels.client("web", null, null))));
	}

	@Test
	void anAnnotatedHandlerIsNotCountedWhenItsResponseFailsOrItThrows() throws Exception {
		for (int status : new int[] { 400, 404, 500 }) {
			this.filter.doFilter(withEnvironmentKey("env"), new MockHttpServletResponse(), handledBy("flags", status));
		}
		FilterChain throwing = (req, res) -> {
			handledBy("flags", 200).doFilter(req, res);
			throw new ServletException("the handler failed after the mapping");
		};
		assertThatExceptionOfType(ServletException.class)
			.isThrownBy(() -> this.filter.doFilter(withEnvironmentKey("env"), new MockHttpServletResponse(), throwing));
		assertThat(this.apiUsage.total()).isZero();
	}

	@Test
	void aRequestWithoutTheEnvironmentKeyOrToAHandlerThatIsNotAnnotatedIsNotCounted() throws Exception {
		this.filter.doFilter(new MockHttpServletRequest("GET", "/api/v1/flags"), new MockHttpServletResponse(),
				handledBy("flags", 200));
		this.filter.doFilter(withEnvironmentKey(" "), new MockHttpServletResponse(), handledBy("flags", 200));
		this.filter.doFilter(withEnvironmentKey("env"), new MockHttpServletResponse(), handledBy("health", 200));
		assertThat(this.apiUsage.total()).isZero();
	}

	@Test
	void theClassesAnnotationAppliesToItsMethodsWithItsOwnHeader() throws Exception {
		MockHttpServletRequest request = new MockHttpServletRequest("GET", "/segments");
		request.addHeader("X-Tenant", "tenant-1");
		this.filter.doFilter(request, new MockHttpServletResponse(), (req, res) -> req
			.setAttribute(HandlerMapping.BEST_MATCHING_HANDLER_ATTRIBUTE, handlerMethod(new Segments(), "segments")));
		assertThat(this.apiUsage.drain()).singleElement()
			.satisfies((count) -> assertThat(count.key())
				.isEqualTo(new ApiUsageKey("segments", "localhost", "tenant-1", Labels.NONE)));
	}

	@Test
	void anAnnotatedAsynchronousHandlerIsCountedWhenItCompletes() throws Exception {
		MockHttpServletRequest request = asyncRequest();
		request.addHeader(ApiUsage.ENVIRONMENT_KEY_HEADER, "env");
		this.filter.doFilter(request, new MockHttpServletResponse(), (req, res) -> {
			handledBy("flags", 200).doFilter(req, res);
			req.startAsync();
		});
		assertThat(this.apiUsage.total()).as("not before completion").isZero();
		((MockAsyncContext) request.getAsyncContext()).complete();
		assertThat(this.apiUsage.total()).isEqualTo(1);
	}

	@Test
	void anAnnotatedAsynchronousHandlerThatTimesOutIsNotCountedWhateverTheStatus() throws Exception {
		// a timeout handler may answer 200 (a DeferredResult's timeout value): the call still failed
		MockHttpServletRequest request = asyncRequest();
		request.addHeader(ApiUsage.ENVIRONMENT_KEY_HEADER, "env");
		this.filter.doFilter(request, new MockHttpServletResponse(), (req, res) -> {
			handledBy("flags", 200).doFilter(req, res);
			req.startAsync();
		});
		MockAsyncContext async = (MockAsyncContext) request.getAsyncContext();
		for (AsyncListener listener : async.getListeners()) {
			listener.onTimeout(new AsyncEvent(async));
		}
		async.complete();
		assertThat(this.apiUsage.total()).isZero();
	}

	@Test
	void aRequestThatRecordsNothingThroughTheRecorderHoldsNothing() throws Exception {
		MockHttpServletRequest request = withEnvironmentKey("env");
		this.filter.doFilter(request, new MockHttpServletResponse(), handledBy("flags", 200));
		assertThat(this.apiUsage.total()).isEqualTo(1);
		assertThat(request.getAttribute(UsageRecorder.ATTRIBUTE)).isNull();
	}

	@Test
	void anInnerDispatchThroughTheFilterCommitsNothingTwice() throws Exception {
		MockHttpServletRequest request = withEnvironmentKey("env");
		this.filter.doFilter(request, new MockHttpServletResponse(), (req, res) -> {
			this.recorder.apiRequest(req, "flags", "h", "env", Labels.NONE);
			// a forward to another handler, through the filter again, which records too
			request.setDispatcherType(DispatcherType.FORWARD);
			this.filter.doFilter(req, res, (forwarded, forwardedResponse) -> {
				this.recorder.featureEvaluations(forwarded, "dark-mode", "env", Labels.NONE, 2);
				handledBy("flags", 200).doFilter(forwarded, forwardedResponse);
			});
			request.setDispatcherType(DispatcherType.REQUEST);
			assertThat(this.apiUsage.total()).as("not before the first dispatch completes").isZero();
		});
		assertThat(this.apiUsage.total()).as("the record, and the annotated handler's call, once each").isEqualTo(2);
		assertThat(this.evaluations.total()).isEqualTo(2);
	}

	@Test
	void twoThreadsRecordingARequestsFirstCountsAtOnceBothCount() throws Exception {
		CountDownLatch secondLooked = new CountDownLatch(1);
		List<Thread> seconds = new ArrayList<>();
		MockHttpServletRequest request = new MockHttpServletRequest("GET", "/api/v1/flags") {

			private final Thread first = Thread.currentThread();

			@Override
			public Object getAttribute(String name) {
				if (name.equals(UsageRecorder.ATTRIBUTE) && Thread.currentThread() != this.first) {
					secondLooked.countDown();
				}
				return super.getAttribute(name);
			}

			@Override
			public void setAttribute(String name, Object value) {
				if (name.equals(UsageRecorder.ATTRIBUTE) && Thread.currentThread() == this.first) {
					// the first thread has made what the request holds: a second thread records
					// now, and the first keeps what it made only once the second has looked for it
					Thread second = new Thread(
							() -> UsageRecordingFilterTests.this.recorder.apiRequest(this, "flags", "h", "env",
									Labels.NONE));
					seconds.add(second);
					second.start();
					await(secondLooked);
				}
				super.setAttribute(name, value);
			}

		};
		this.filter.doFilter(request, new MockHttpServletResponse(), (req, res) -> {
			this.recorder.apiRequest(req, "flags", "h", "env", Labels.NONE);
			seconds.forEach(UsageRecordingFilterTests::join);
		});
		assertThat(seconds).hasSize(1);
		assertThat(this.apiUsage.total()).isEqualTo(2);
	}

	@Test
	void aBadAnnotationIsReportedWithItsMethodWhenChecked() {
		assertThatIllegalStateException()
			.isThrownBy(() -> this.annotations.check(List.of(handlerMethod(new BadlyAnnotated(), "blank"))))
			.withMessageContaining("BadlyAnnotated.blank()")
			.withMessageContaining("@ApiUsage(\"flags\")");
		assertThatIllegalStateException()
			.isThrownBy(() -> this.annotations.check(List.of(handlerMethod(new BadlyAnnotated(), "noHeader"))))
			.withMessageContaining("BadlyAnnotated.noHeader()")
			.withMessageContaining("environmentKeyHeader");
	}

	@Test
	@ExtendWith(OutputCaptureExtension.class)
	void aBadAnnotationNoCheckSawIsReportedAndNotCountedWithoutFailingTheRequest(CapturedOutput output)
			throws Exception {
		MockHttpServletResponse response = new MockHttpServletResponse();
		this.filter.doFilter(withEnvironmentKey("env"), response, (req, res) -> req
			.setAttribute(HandlerMapping.BEST_MATCHING_HANDLER_ATTRIBUTE, handlerMethod(new BadlyAnnotated(), "blank")));
		assertThat(response.getStatus()).isEqualTo(200);
		assertThat(this.apiUsage.total()).isZero();
		assertThat(output).contains("@ApiUsage of " + BadlyAnnotated.class.getName() + ".blank()")
			.contains("its calls are not counted");
	}

	@Test
	void recordingWithoutTheFilterSaysWhatIsMissing() {
		assertThatIllegalStateException()
			.isThrownBy(() -> this.recorder.apiRequest(new MockHttpServletRequest(), "flags", "h", "env", Labels.NONE))
			.withMessageContaining("UsageRecordingFilter");
	}

	// the chain as Spring MVC runs it: the handler mapping exposes the handler method, the
	// handler sets the status
	private static FilterChain handledBy(String method, int status) {
		return (request, response) -> {
			request.setAttribute(HandlerMapping.BEST_MATCHING_HANDLER_ATTRIBUTE,
					handlerMethod(new Handlers(), method));
			((HttpServletResponse) response).setStatus(status);
		};
	}

	static HandlerMethod handlerMethod(Object bean, String name) {
		try {
			return new HandlerMethod(bean, bean.getClass().getDeclaredMethod(name));
		}
		catch (NoSuchMethodException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static MockHttpServletRequest withEnvironmentKey(String environmentKey) {
		MockHttpServletRequest request = new MockHttpServletRequest("GET", "/api/v1/flags");
		request.addHeader(ApiUsage.ENVIRONMENT_KEY_HEADER, environmentKey);
		return request;
	}

	private FilterChain recordingWithStatus(int status) {
		return (request, response) -> {
			this.recorder.apiRequest(request, "flags", "h", "env", Labels.NONE);
			this.recorder.featureEvaluations(request, "dark-mode", "env", Labels.NONE, 3);
			((HttpServletResponse) response).setStatus(status);
		};
	}

	private void serve(FilterChain chain) throws Exception {
		this.filter.doFilter(new MockHttpServletRequest("GET", "/api/v1/flags"), new MockHttpServletResponse(), chain);
	}

	private static void await(CountDownLatch latch) {
		try {
			assertThat(latch.await(10, TimeUnit.SECONDS)).isTrue();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private static void join(Thread thread) {
		try {
			thread.join(TimeUnit.SECONDS.toMillis(10));
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
		assertThat(thread.isAlive()).isFalse();
	}

	private static MockHttpServletRequest asyncRequest() {
		MockHttpServletRequest request = new MockHttpServletRequest("GET", "/api/v1/flags");
		request.setAsyncSupported(true);
		return request;
	}

	static class Handlers {

		@ApiUsage("flags")
		void flags() {
		}

		void health() {
		}

	}

	@ApiUsage(value = "segments", environmentKeyHeader = "X-Tenant")
	static class Segments {

		void segments() {
		}

	}

	static class BadlyAnnotated {

		@ApiUsage(" ")
		void blank() {
		}

		@ApiUsage(value = "flags", environmentKeyHeader = "")
		void noHeader() {
		}

	}

}
