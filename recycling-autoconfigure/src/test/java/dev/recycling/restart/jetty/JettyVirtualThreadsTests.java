package dev.recycling.restart.jetty;

import dev.recycling.testapp.LeakScenario;
import dev.recycling.testapp.OverlapScenario;
import dev.recycling.testapp.RecyclingApps;
import dev.recycling.testapp.SessionScenario;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;

/**
 * Recycling on Jetty with the application's requests on virtual threads
 * ({@code spring.threads.virtual.enabled}): Java 21 or later, so these run in the suite's
 * pass on Java 25.
 */
@EnabledForJreRange(min = JRE.JAVA_21)
class JettyVirtualThreadsTests {

	@Test
	void overlappedRecyclesOnVirtualThreadsLoseNothing() throws InterruptedException {
		OverlapScenario.overlappedRecyclesOnVirtualThreadsLoseNothing();
	}

	@Test
	void sessionsSurviveRecyclesUnderConcurrentRequests() throws InterruptedException {
		SessionScenario.sessionsSurviveRecyclesUnderConcurrentRequests(RecyclingApps.VIRTUAL_THREADS);
	}

	@Test
	void fiftyRecyclesLeaveNoOldContextThreadOrClassGrowth() throws Exception {
		LeakScenario.fiftyRecyclesLeaveNoOldContextThreadOrClassGrowth(RecyclingApps.VIRTUAL_THREADS);
	}

}
