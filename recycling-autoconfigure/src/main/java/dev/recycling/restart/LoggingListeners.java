package dev.recycling.restart;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggerContextListener;
import org.jspecify.annotations.Nullable;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;

import org.springframework.util.ClassUtils;

/**
 * The listeners a generation registered with the shared Logback context, taken off when
 * the generation closes next to its successor.
 * <p>
 * With the sequential strategy, Spring Boot stops and reconfigures Logback for each start,
 * and a stopped Logback context drops every listener. Micrometer's {@code LogbackMetrics},
 * for one, registers a listener in its constructor that its {@code close()} leaves in
 * place, and the listener leads to the closed generation's whole meter registry (about
 * 150 KB a generation in the demo). Overlapping generations share the backend without a
 * stop, so the recycler drops, for the closing generation only, the listeners registered
 * after its context was prepared and before its successor's was. Listeners the logging
 * configuration registered (while Spring Boot initialized logging, before the first
 * context) are outside every window and stay.
 *
 * @author recycling team
 */
final class LoggingListeners {

	private static final boolean LOGBACK_PRESENT = ClassUtils.isPresent("ch.qos.logback.classic.LoggerContext",
			LoggingListeners.class.getClassLoader());

	private LoggingListeners() {
	}

	/**
	 * Return the listeners registered now, by identity; empty without Logback.
	 * @return the listeners
	 */
	static Set<Object> snapshot() {
		return LOGBACK_PRESENT ? Logback.snapshot() : Set.of();
	}

	/**
	 * Remove the listeners registered between two snapshots.
	 * @param atStart the snapshot when the closing generation's context was prepared
	 * @param atNextStart the snapshot when its successor's context was prepared
	 * @return how many listeners were removed
	 */
	static int removeRegisteredBetween(Set<Object> atStart, Set<Object> atNextStart) {
		return LOGBACK_PRESENT ? Logback.removeRegisteredBetween(atStart, atNextStart) : 0;
	}

	// loaded only when Logback is on the class path
	private static final class Logback {

		static Set<Object> snapshot() {
			LoggerContext context = loggerContext();
			if (context == null) {
				return Set.of();
			}
			Set<Object> listeners = Collections.newSetFromMap(new IdentityHashMap<>());
			listeners.addAll(context.getCopyOfListenerList());
			return listeners;
		}

		static int removeRegisteredBetween(Set<Object> atStart, Set<Object> atNextStart) {
			LoggerContext context = loggerContext();
			if (context == null) {
				return 0;
			}
			int removed = 0;
			for (LoggerContextListener listener : context.getCopyOfListenerList()) {
				if (!atStart.contains(listener) && atNextStart.contains(listener)) {
					context.removeListener(listener);
					removed++;
				}
			}
			return removed;
		}

		private static @Nullable LoggerContext loggerContext() {
			ILoggerFactory factory = LoggerFactory.getILoggerFactory();
			return (factory instanceof LoggerContext context) ? context : null;
		}

	}

}
