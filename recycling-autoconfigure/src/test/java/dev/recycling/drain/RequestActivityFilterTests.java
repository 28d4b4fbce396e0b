package dev.recycling.drain;

import java.time.Duration;

import dev.recycling.trigger.GenerationLimits;
import dev.recycling.trigger.RecycleTriggers;
import dev.recycling.trigger.RequestCountingFilter;
import jakarta.servlet.http.HttpServletResponse;
import org.junit.jupiter.api.Test;

import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for what {@link RequestCountingFilter} records in {@link RequestActivity} for the
 * drain gate.
 */
class RequestActivityFilterTests {

	private final RecycleTriggers triggers = new RecycleTriggers(GenerationLimits.NONE, Duration.ZERO,
			System::nanoTime, (reason) -> false);

	private final RequestActivity activity = new RequestActivity(System::nanoTime);

	@Test
	void applicationRequestsAreCountedActuatorRequestsAreNot() throws Exception {
		RequestCountingFilter filter = filter("/actuator/health/readiness");
		send(filter, "/api/v1/flags", 200);
		send(filter, "/actuator/prometheus", 200);
		send(filter, "/actuator/health/readiness", 200);
		assertThat(this.triggers.requestsServed()).isEqualTo(1);
		assertThat(this.activity.inFlight()).isZero();
	}

	@Test
	void readinessPathOutsideTheActuatorIsRecognisedAsAProbe() throws Exception {
		long before = System.nanoTime();
		send(filter("/readyz"), "/readyz", HttpServletResponse.SC_SERVICE_UNAVAILABLE);
		assertThat(this.triggers.requestsServed()).isZero();
		assertThat(this.activity.notReadyAnsweredSince(before)).isTrue();
	}

	@Test
	void closingGenerationAsksClientsToCloseTheirConnection() throws Exception {
		RequestCountingFilter filter = filter("/actuator/health/readiness");
		assertThat(send(filter, "/api/v1/flags", 200).getHeader("Connection")).isNull();
		this.activity.closeConnections();
		assertThat(send(filter, "/api/v1/flags", 200).getHeader("Connection")).isEqualTo("close");
	}

	private RequestCountingFilter filter(String readinessPath) {
		return new RequestCountingFilter(this.triggers, this.activity, "/actuator", readinessPath);
	}

	private static MockHttpServletResponse send(RequestCountingFilter filter, String path, int status)
			throws Exception {
		MockHttpServletRequest request = new MockHttpServletRequest("GET", path);
		request.setServletPath(path);
		MockHttpServletResponse response = new MockHttpServletResponse();
		filter.doFilter(request, response, (req, res) -> ((HttpServletResponse) res).setStatus(status));
		return response;
	}

}
