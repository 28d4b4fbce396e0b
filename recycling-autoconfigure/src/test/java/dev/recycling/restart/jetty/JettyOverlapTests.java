package dev.recycling.restart.jetty;

import dev.recycling.testapp.OverlapScenario;
import org.junit.jupiter.api.Test;

/**
 * The overlap restart strategy on Jetty under real load. Runs in the {@code jetty-test} Surefire
 * execution, whose classpath has no Tomcat.
 */
class JettyOverlapTests {

	@Test
	void overlappedRecyclesWithNewConnectionPerRequestLoseNothingAndReadinessStaysUp() throws InterruptedException {
		OverlapScenario.overlappedRecyclesUnderLoadLoseNothing(false);
	}

	@Test
	void overlappedRecyclesWithKeepAliveClientsLoseNothing() throws InterruptedException {
		OverlapScenario.overlappedRecyclesUnderLoadLoseNothing(true);
	}

	@Test
	void aNextGenerationThatFailsToStartLeavesTheCurrentOneServingAndIsRetried() throws InterruptedException {
		OverlapScenario.failedStartKeepsTheCurrentGenerationServingAndRetries();
	}

	@Test
	void withoutHeapHeadroomARecycleRunsSequentially() {
		OverlapScenario.lowHeadroomRecyclesSequentially();
	}

	@Test
	void aSeparateManagementPortIsHeldAndHandedOverToo() throws InterruptedException {
		OverlapScenario.managementPortIsHeldAndHandedOver();
	}

}
