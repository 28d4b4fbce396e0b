package dev.recycling.restart;

import java.time.Duration;
import java.time.Instant;

/**
 * A next generation that failed to start while the current one kept serving (overlap).
 *
 * @param generation the number the generation would have had
 * @param at when the start failed
 * @param cause the exception, one line: its type and message, and the root cause's
 * @param retryIn how long until the recycle is tried again
 * @author recycling team
 */
public record StartFailure(int generation, Instant at, String cause, Duration retryIn) {

	static String describe(Throwable ex) {
		Throwable root = ex;
		while (root.getCause() != null && root.getCause() != root) {
			root = root.getCause();
		}
		String text = ex.getClass().getName() + ": " + ex.getMessage();
		if (root != ex) {
			text += "; caused by " + root.getClass().getName() + ": " + root.getMessage();
		}
		text = text.replaceAll("\\s+", " ");
		return (text.length() > 500) ? text.substring(0, 500) + "..." : text;
	}

}
