package dev.recycling.restart.tomcat;

import dev.recycling.testapp.OverlapScenario;
import org.junit.jupiter.api.Test;

/**
 * The overlap restart strategy on Tomcat under real load.
 */
class TomcatOverlapTests {

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
