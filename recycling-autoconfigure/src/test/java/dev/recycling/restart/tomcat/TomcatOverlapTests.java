package dev.recycling.restart.tomcat;

import dev.recycling.testapp.OverlapScenario;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * The overlap restart strategy on Tomcat under real load.
 */
@ExtendWith(OutputCaptureExtension.class)
class TomcatOverlapTests {

	@Test
	void overlappedRecyclesWithNewConnectionPerRequestLoseNothingAndReadinessStaysUp() throws InterruptedException {
		OverlapScenario.overlappedRecyclesUnderLoadLoseNothing(false);
	}

	@Test
	void overlappedRecyclesWithKeepAliveClientsLoseNothing() throws InterruptedException {
		OverlapScenario.overlappedRecyclesUnderLoadLoseNothing(true);
	}

	@Test
	void aNextGenerationThatFailsToStartLeavesTheCurrentOneServingAndIsRetried() throws InterruptedException {
		OverlapScenario.failedStartKeepsTheCurrentGenerationServingAndRetries();
	}

	@Test
	void withoutHeapHeadroomARecycleRunsSequentially() {
		OverlapScenario.lowHeadroomRecyclesSequentially();
	}

	@Test
	void noLogLineOfTheServingGenerationIsLostWhileTheNextOneStarts(CapturedOutput output) throws InterruptedException {
		OverlapScenario.noLogLineIsLost(output);
	}

	@Test
	void aSeparateManagementPortIsHeldAndHandedOverToo() throws InterruptedException {
		OverlapScenario.managementPortIsHeldAndHandedOver();
	}

}
