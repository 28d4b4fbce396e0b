package dev.recycling.restart.tomcat;

import dev.recycling.testapp.SessionScenario;
import org.junit.jupiter.api.Test;

/**
 * HTTP sessions on Tomcat across recycles of both strategies.
 */
class TomcatSessionTests {

	@Test
	void sessionsSurviveOverlappedRecyclesUnderConcurrentRequests() throws InterruptedException {
		SessionScenario.sessionsSurviveRecyclesUnderConcurrentRequests("--recycling.restart.strategy=overlap");
	}

	@Test
	void sessionsSurviveSequentialRecyclesUnderConcurrentRequests() throws InterruptedException {
		SessionScenario.sessionsSurviveRecyclesUnderConcurrentRequests("--recycling.restart.strategy=sequential");
	}

}
