package dev.recycling.restart.netty;

import dev.recycling.testapp.LeakScenario;
import org.junit.jupiter.api.Test;

/**
 * Fifty recycles of a WebFlux application leave no old context, event loop or accept loop
 * behind: Netty's loops are threads, and each generation's server has an accept loop of
 * its own.
 *
 * @author recycling team
 */
class NettyLeakTests {

	@Test
	void fiftyRecyclesLeaveNoOldContextThreadOrClassGrowth() throws Exception {
		LeakScenario.fiftyRecyclesLeaveNoOldContextThreadOrClassGrowth();
	}

}
