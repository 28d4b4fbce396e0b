package dev.recycling.restart;

import java.util.Set;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggerContextListener;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The listeners a closing generation registered with the shared Logback context are
 * removed; those registered before it started and by its successor stay.
 */
class LoggingListenersTests {

	private final LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();

	private final Listener configured = new Listener(false);

	private final Listener ofClosing = new Listener(false);

	private final Listener resetResistantOfClosing = new Listener(true);

	private final Listener ofSuccessor = new Listener(false);

	@AfterEach
	void removeListeners() {
		for (Listener listener : new Listener[] { this.configured, this.ofClosing, this.resetResistantOfClosing,
				this.ofSuccessor }) {
			this.context.removeListener(listener);
		}
	}

	@Test
	void removesWhatTheClosingGenerationRegisteredAndNothingElse() {
		this.context.addListener(this.configured);
		Set<Object> atStart = LoggingListeners.snapshot();
		this.context.addListener(this.ofClosing);
		this.context.addListener(this.resetResistantOfClosing);
		Set<Object> atNextStart = LoggingListeners.snapshot();
		this.context.addListener(this.ofSuccessor);

		assertThat(LoggingListeners.removeRegisteredBetween(atStart, atNextStart)).isEqualTo(2);

		assertThat(this.context.getCopyOfListenerList()).contains(this.configured, this.ofSuccessor)
			.doesNotContain(this.ofClosing, this.resetResistantOfClosing);
	}

	@Test
	void aListenerTheClosingGenerationRemovedItselfIsNotCounted() {
		Set<Object> atStart = LoggingListeners.snapshot();
		this.context.addListener(this.ofClosing);
		Set<Object> atNextStart = LoggingListeners.snapshot();
		this.context.removeListener(this.ofClosing);

		assertThat(LoggingListeners.removeRegisteredBetween(atStart, atNextStart)).isZero();
	}

	// equal only to itself, as listeners are
	private static final class Listener implements LoggerContextListener {

		private final boolean resetResistant;

		Listener(boolean resetResistant) {
			this.resetResistant = resetResistant;
		}

		@Override
		public boolean isResetResistant() {
			return this.resetResistant;
		}

		@Override
		public void onStart(LoggerContext context) {
		}

		@Override
		public void onReset(LoggerContext context) {
		}

		@Override
		public void onStop(LoggerContext context) {
		}

		@Override
		public void onLevelChange(Logger logger, Level level) {
		}

	}

}
