package dev.recycling.drain;

import java.time.Duration;

/**
 * What one drain waited for and how long.
 *
 * @param watched whether readiness probes had been answered recently (someone watches)
 * @param waitedForNotReady until a probe was answered "not ready"
 * @param waitedForQuiet until no application request had started for the quiet period
 * @param waitedForInFlight until in-flight requests and the accept queue were empty
 * @param total the whole drain
 * @param requestsDuringDrain application requests that started during the drain
 * @param acceptQueueChecked whether the accept queue could be read (Linux)
 * @param timedOut whether the drain ended because its timeout ran out
 * @author recycling team
 */
public record DrainReport(boolean watched, Duration waitedForNotReady, Duration waitedForQuiet,
		Duration waitedForInFlight, Duration total, long requestsDuringDrain, boolean acceptQueueChecked,
		boolean timedOut) {

}
