package dev.recycling.restart.netty;

import dev.recycling.testapp.AcceptedConnectionScenario;
import org.junit.jupiter.api.Test;

/**
 * A connection Reactor Netty accepted but whose request it has not read yet when a recycle
 * starts is served.
 *
 * @author recycling team
 */
class NettyAcceptedConnectionTests {

	@Test
	void aConnectionAcceptedBeforeARecycleIsServed() throws Exception {
		AcceptedConnectionScenario.aConnectionAcceptedBeforeARecycleIsServed();
	}

}
