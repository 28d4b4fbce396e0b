package dev.recycling.shutdown;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * What the hook chain did when a generation ended.
 *
 * @param generation the generation that ended
 * @param reason why it ended
 * @param startedAt when the chain started
 * @param hooks each hook's outcome, in run order
 * @author recycling team
 */
public record ShutdownHookReport(int generation, String reason, Instant startedAt, List<HookResult> hooks) {

	/**
	 * Return whether every hook completed.
	 * @return {@code true} if no hook failed or timed out
	 */
	public boolean allCompleted() {
		return this.hooks.stream().allMatch((hook) -> hook.outcome() == Outcome.COMPLETED);
	}

	/**
	 * How one hook ended.
	 */
	public enum Outcome {

		/**
		 * The hook returned normally.
		 */
		COMPLETED,

		/**
		 * The hook threw.
		 */
		FAILED,

		/**
		 * The hook overran its timeout and was interrupted.
		 */
		TIMED_OUT

	}

	/**
	 * One hook's outcome.
	 *
	 * @param name the hook's name
	 * @param outcome how it ended
	 * @param duration how long it ran (its timeout when it timed out)
	 * @param error the failure's message, if it failed
	 */
	public record HookResult(String name, Outcome outcome, Duration duration, @Nullable String error) {

	}

}
