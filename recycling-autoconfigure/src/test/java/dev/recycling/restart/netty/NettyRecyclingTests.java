package dev.recycling.restart.netty;

import dev.recycling.testapp.QueuedConnectionScenario;
import dev.recycling.testapp.RecycleUnderLoadScenario;
import org.junit.jupiter.api.Test;

/**
 * Recycles of a WebFlux application on Reactor Netty under load, sequential strategy.
 *
 * @author recycling team
 */
class NettyRecyclingTests {

	@Test
	void sequentialRecycleUnderLoadWithNewConnectionPerRequestLosesNothing() throws InterruptedException {
		RecycleUnderLoadScenario.recycleUnderLoadLosesNothing();
	}

	@Test
	void aConnectionQueuedWhileNotAcceptingCostsNoCpuAndIsServedByTheNextGeneration() throws Exception {
		QueuedConnectionScenario.aConnectionQueuedWhileNotAcceptingCostsNoCpuAndIsServedByTheNextGeneration();
	}

}
