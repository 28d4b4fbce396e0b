package dev.recycling.restart.netty;

import dev.recycling.testapp.OverlapScenario;
import org.junit.jupiter.api.Test;

/**
 * Overlapped recycles of a WebFlux application on Reactor Netty: the next generation's
 * server attaches to the held socket parked, on an accept loop of its own, and takes over.
 *
 * @author recycling team
 */
class NettyOverlapTests {

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
