package dev.recycling.demo.webflux;

import dev.recycling.testapp.SigtermDrainScenario;
import org.junit.jupiter.api.Test;

/**
 * SIGTERM to the WebFlux demo in a real child JVM behind a simulated load balancer: the
 * same drain as the servlet demo's, on Reactor Netty.
 */
class DemoWebFluxSigtermTests {

	@Test
	void sigtermDrainsWithoutFailedRequests() throws Exception {
		SigtermDrainScenario.sigtermDrainsWithoutFailedRequests(DemoWebFluxApplication.class.getName(),
				"/api/v1/flags", "X-Environment-Key: demo-staging\r\n", "--spring.datasource.url=jdbc:h2:mem:sigterm");
	}

	// the drain waits for the probes that come to the actuator's own port, as in Kubernetes
	@Test
	void sigtermDrainsWithoutFailedRequestsProbedOnTheManagementPort() throws Exception {
		SigtermDrainScenario.sigtermDrainsWithoutFailedRequestsProbedOnTheManagementPort(
				DemoWebFluxApplication.class.getName(), "/api/v1/flags", "X-Environment-Key: demo-staging\r\n",
				"--spring.datasource.url=jdbc:h2:mem:sigterm");
	}

}
