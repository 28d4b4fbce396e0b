package dev.recycling.restart.jetty;

import dev.recycling.testapp.AcceptedConnectionScenario;
import org.junit.jupiter.api.Test;

/**
 * A connection Jetty accepted but whose request it has not read yet when a recycle starts
 * is served. Runs in the {@code jetty-test} Surefire execution, whose classpath has no
 * Tomcat.
 */
class JettyAcceptedConnectionTests {

	@Test
	void aConnectionAcceptedBeforeARecycleIsServed() throws Exception {
		AcceptedConnectionScenario.aConnectionAcceptedBeforeARecycleIsServed();
	}

}
