package dev.recycling.support;

import java.time.Duration;

/**
 * Writes durations the way users write them in {@code application.yml}: {@code 5s},
 * {@code 500ms}, {@code 2m}, not {@code PT5S} or {@code 5000 ms}.
 *
 * @author recycling team
 */
public final class Durations {

	private static final long NANOS_PER_MILLI = 1_000_000L;

	private static final long[] UNIT_NANOS = { 86_400_000_000_000L, 3_600_000_000_000L, 60_000_000_000L,
			1_000_000_000L, NANOS_PER_MILLI, 1_000L, 1L };

	private static final String[] UNIT_SUFFIXES = { "d", "h", "m", "s", "ms", "us", "ns" };

	private Durations() {
	}

	/**
	 * Format a duration in the largest unit that holds it exactly, such as {@code 90s} or
	 * {@code 1500ms}; a measured duration (not a whole number of milliseconds) is rounded
	 * to milliseconds first.
	 * @param duration the duration
	 * @return the text
	 */
	public static String format(Duration duration) {
		if (duration.isZero()) {
			return "0s";
		}
		long nanos;
		try {
			nanos = duration.toNanos();
		}
		catch (ArithmeticException ex) {
			return duration.toSeconds() + "s";
		}
		if (Math.abs(nanos) >= NANOS_PER_MILLI && nanos % NANOS_PER_MILLI != 0) {
			nanos = Math.round(nanos / (double) NANOS_PER_MILLI) * NANOS_PER_MILLI;
		}
		for (int i = 0; i < UNIT_NANOS.length; i++) {
			if (nanos % UNIT_NANOS[i] == 0) {
				return (nanos / UNIT_NANOS[i]) + UNIT_SUFFIXES[i];
			}
		}
		return nanos + "ns";
	}

}
