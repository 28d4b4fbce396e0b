package dev.recycling.restart;

import dev.recycling.testapp.LeakScenario;
import org.junit.jupiter.api.Test;

/**
 * Restarting a {@code SpringApplication} in one JVM must release the old generations
 * completely (Spring Cloud's restart endpoint is known to leak here).
 */
class RecyclerLeakTests {

	@Test
	void fiftyRecyclesLeaveNoOldContextThreadOrClassGrowth() throws Exception {
		LeakScenario.fiftyRecyclesLeaveNoOldContextThreadOrClassGrowth();
	}

}
