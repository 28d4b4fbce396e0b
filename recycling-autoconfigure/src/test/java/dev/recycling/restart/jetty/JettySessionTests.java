package dev.recycling.restart.jetty;

import dev.recycling.testapp.SessionScenario;
import org.junit.jupiter.api.Test;

/**
 * HTTP sessions on Jetty across recycles of both strategies.
 */
class JettySessionTests {

	@Test
	void sessionsSurviveOverlappedRecyclesUnderConcurrentRequests() throws InterruptedException {
		SessionScenario.sessionsSurviveRecyclesUnderConcurrentRequests("--recycling.restart.strategy=overlap");
	}

	@Test
	void sessionsSurviveSequentialRecyclesUnderConcurrentRequests() throws InterruptedException {
		SessionScenario.sessionsSurviveRecyclesUnderConcurrentRequests("--recycling.restart.strategy=sequential");
	}

}
