package dev.recycling.restart.tomcat;

import dev.recycling.testapp.RecycleUnderLoadScenario;
import org.junit.jupiter.api.Test;

/**
 * Recycling on Tomcat under real load.
 */
class TomcatRecyclingTests {

	@Test
	void sequentialRecycleUnderLoadWithNewConnectionPerRequestLosesNothing() throws InterruptedException {
		RecycleUnderLoadScenario.recycleUnderLoadLosesNothing();
	}

}
