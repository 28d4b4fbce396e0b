package dev.recycling.testapp;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import dev.recycling.restart.Generation;

import org.springframework.boot.ApplicationRunner;

/**
 * The deliberate start failures of the test applications (servlet and WebFlux), set by
 * properties: {@code testapp.fail-from-start} fails every start from that one on, and
 * {@code testapp.fail-runner} ({@code token:generation:times}) fails the start of that
 * generation that many times, after its web server has started (parked while generations
 * overlap); the token keeps tests apart.
 *
 * @author recycling team
 */
public final class StartFailures {

	private static final AtomicInteger starts = new AtomicInteger();

	private static final Map<String, AtomicInteger> runnerFailures = new ConcurrentHashMap<>();

	private StartFailures() {
	}

	/**
	 * Count a start, failing it from {@code failFromStart} on.
	 * @param failFromStart the first start that fails, or 0 for none
	 * @return the number of this start
	 */
	public static int start(int failFromStart) {
		int start = starts.incrementAndGet();
		if (failFromStart > 0 && start >= failFromStart) {
			throw new IllegalStateException("Start " + start + " fails on purpose (testapp.fail-from-start)");
		}
		return start;
	}

	/**
	 * Return a runner that fails the start of a generation as {@code testapp.fail-runner} says.
	 * @param generation the generation starting
	 * @param failRunner {@code token:generation:times}, or empty
	 * @return the runner
	 */
	public static ApplicationRunner failingRunner(Generation generation, String failRunner) {
		return (args) -> {
			String[] parts = failRunner.split(":");
			if (parts.length == 3 && generation.number() == Integer.parseInt(parts[1])
					&& runnerFailures.computeIfAbsent(parts[0], (key) -> new AtomicInteger())
						.incrementAndGet() <= Integer.parseInt(parts[2])) {
				throw new IllegalStateException("Generation " + generation.number() + " fails to start on purpose "
						+ "after its web server started (testapp.fail-runner)");
			}
		};
	}

}
