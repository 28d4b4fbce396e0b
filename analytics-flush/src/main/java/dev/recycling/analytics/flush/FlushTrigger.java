package dev.recycling.analytics.flush;

import java.util.Locale;

/**
 * What started a flush.
 *
 * @author recycling team
 */
public enum FlushTrigger {

	/**
	 * The flush interval elapsed.
	 */
	PERIODIC,

	/**
	 * A cache reached its key limit.
	 */
	OVERFLOW,

	/**
	 * The generation ends: recycle, SIGTERM or close.
	 */
	SHUTDOWN,

	/**
	 * Someone asked for it, such as the actuator endpoint.
	 */
	MANUAL;

	/**
	 * Return the lower-case name, as used in batches, logs and metric tags.
	 * @return the name
	 */
	public String tag() {
		return name().toLowerCase(Locale.ROOT);
	}

}
