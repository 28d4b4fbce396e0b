package dev.recycling.demo;

import dev.recycling.testapp.SigtermDrainScenario;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;

/**
 * SIGTERM to the demo in a real child JVM, with real clients and a simulated load balancer
 * that probes readiness and stops sending as soon as it sees "not ready": no request fails,
 * readiness is answered over HTTP while the demo drains, and the demo exits by itself.
 */
class SigtermDrainTests {

	@Test
	void sigtermDrainsWithoutFailedRequests() throws Exception {
		SigtermDrainScenario.sigtermDrainsWithoutFailedRequests(DemoApplication.class.getName(), "/api/v1/flags",
				"X-Environment-Key: demo-staging\r\n", "--spring.datasource.url=jdbc:h2:mem:sigterm");
	}

	// the drain waits for the probes that come to the actuator's own port, as in Kubernetes
	@Test
	void sigtermDrainsWithoutFailedRequestsProbedOnTheManagementPort() throws Exception {
		SigtermDrainScenario.sigtermDrainsWithoutFailedRequestsProbedOnTheManagementPort(
				DemoApplication.class.getName(), "/api/v1/flags", "X-Environment-Key: demo-staging\r\n",
				"--spring.datasource.url=jdbc:h2:mem:sigterm");
	}

	@Test
	void sigtermDrainsWithoutFailedRequestsWithLazyInitialization() throws Exception {
		SigtermDrainScenario.sigtermDrainsWithoutFailedRequests(DemoApplication.class.getName(), "/api/v1/flags",
				"X-Environment-Key: demo-staging\r\n", "--spring.datasource.url=jdbc:h2:mem:sigterm",
				"--spring.main.lazy-initialization=true");
	}

	@Test
	@EnabledForJreRange(min = JRE.JAVA_21)
	void sigtermDrainsWithoutFailedRequestsOnVirtualThreads() throws Exception {
		SigtermDrainScenario.sigtermDrainsWithoutFailedRequests(DemoApplication.class.getName(), "/api/v1/flags",
				"X-Environment-Key: demo-staging\r\n", "--spring.datasource.url=jdbc:h2:mem:sigterm",
				"--spring.threads.virtual.enabled=true");
	}

}
