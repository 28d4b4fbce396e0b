package dev.recycling.restart;

import java.time.Duration;

import dev.recycling.testapp.ChildJvm;
import dev.recycling.testapp.LoopbackLoad;
import dev.recycling.testapp.LoopbackLoad.Result;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Recycles that end the JVM, observed from outside: a real child process and its exit
 * status.
 */
class RecycleModeExitTests {

	@Test
	void exitModeExitsWithConfiguredCodeAfterTheLimit() throws Exception {
		try (ChildJvm child = ChildJvm.start("--recycling.mode=exit", "--recycling.exit-code=3",
				"--recycling.max-requests=5")) {
			int port = child.awaitPort();
			Result result = sendSequentially(port, 5);
			assertThat(result.failures()).as(result.samples().toString()).isEmpty();
			assertThat(result.ok()).isEqualTo(5);
			assertThat(child.awaitExit(Duration.ofSeconds(60))).as(child.output()).isEqualTo(3);
			assertThat(child.output()).contains("Recycling generation 1 (max-requests) after 5 requests")
				.contains("Exiting with status 3");
		}
	}

	@Test
	void failedRestartExitsWithStatusOne() throws Exception {
		try (ChildJvm child = ChildJvm.start("--recycling.max-requests=3", "--testapp.fail-from-start=2",
				"--recycling.restart.strategy=sequential")) {
			int port = child.awaitPort();
			assertThat(sendSequentially(port, 3).ok()).isEqualTo(3);
			assertThat(child.awaitExit(Duration.ofSeconds(60))).as(child.output()).isEqualTo(1);
			assertThat(child.output()).contains("Generation 2 failed to start; trying once more")
				.contains("Generation 2 failed to start; exiting with status 1");
		}
	}

	private static Result sendSequentially(int port, int requests) throws InterruptedException {
		return LoopbackLoad.start(port, "/hello", 1, Duration.ofSeconds(30), requests).awaitCompletion();
	}

}
