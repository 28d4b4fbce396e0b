package dev.recycling.restart.jetty;

import dev.recycling.testapp.QueuedConnectionScenario;
import dev.recycling.testapp.RecycleUnderLoadScenario;
import org.junit.jupiter.api.Test;

/**
 * Recycling on Jetty under real load. Runs in the {@code jetty-test} Surefire execution,
 * whose classpath has no Tomcat.
 */
class JettyRecyclingTests {

	@Test
	void sequentialRecycleUnderLoadWithNewConnectionPerRequestLosesNothing() throws InterruptedException {
		RecycleUnderLoadScenario.recycleUnderLoadLosesNothing();
	}

	@Test
	void aConnectionQueuedWhileNotAcceptingCostsNoCpuAndIsServedByTheNextGeneration() throws Exception {
		QueuedConnectionScenario.aConnectionQueuedWhileNotAcceptingCostsNoCpuAndIsServedByTheNextGeneration();
	}

}
