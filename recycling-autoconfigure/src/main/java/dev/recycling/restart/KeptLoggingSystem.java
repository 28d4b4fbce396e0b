package dev.recycling.restart;

import java.util.List;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.logging.LogFile;
import org.springframework.boot.logging.LogLevel;
import org.springframework.boot.logging.LoggerConfiguration;
import org.springframework.boot.logging.LoggingInitializationContext;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.boot.logging.LoggingSystemFactory;
import org.springframework.boot.logging.LoggingSystemProperties;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * The logging system of a generation that starts while the previous one serves: the one the
 * first generation initialized, left as it is.
 * <p>
 * Spring Boot's own logging system, for each context, first suppresses every log line of the
 * JVM until it is initialized, then resets and reconfigures the logging backend, and cleans
 * it up when the context closes. With two live generations that loses the serving
 * generation's log lines while the next one starts, and the closing generation's clean-up
 * undoes the next one's set-up. This one leaves initialization and clean-up out and passes
 * everything else (levels, the loggers endpoint, the shutdown handler) to the detected
 * system. Chosen through {@link LoggingSystem#SYSTEM_PROPERTY} for one start only.
 *
 * @author recycling team
 */
public final class KeptLoggingSystem extends LoggingSystem {

	private final LoggingSystem delegate;

	/**
	 * Create the logging system, as {@link LoggingSystem#get(ClassLoader)} does.
	 * @param classLoader the class loader
	 */
	public KeptLoggingSystem(ClassLoader classLoader) {
		LoggingSystem detected = LoggingSystemFactory.fromSpringFactories().getLoggingSystem(classLoader);
		if (detected == null) {
			throw new IllegalStateException("No suitable logging system located");
		}
		this.delegate = detected;
	}

	@Override
	public void beforeInitialize() {
		// nothing: suppressing output now would swallow the serving generation's lines
	}

	@Override
	public void initialize(LoggingInitializationContext initializationContext, @Nullable String configLocation,
			@Nullable LogFile logFile) {
		// nothing: the first generation configured the backend with the same configuration
	}

	@Override
	public void cleanUp() {
		// nothing: another generation is using the backend
	}

	@Override
	public LoggingSystemProperties getSystemProperties(ConfigurableEnvironment environment) {
		return this.delegate.getSystemProperties(environment);
	}

	@Override
	public @Nullable Runnable getShutdownHandler() {
		return this.delegate.getShutdownHandler();
	}

	@Override
	public Set<LogLevel> getSupportedLogLevels() {
		return this.delegate.getSupportedLogLevels();
	}

	@Override
	public void setLogLevel(@Nullable String loggerName, @Nullable LogLevel level) {
		this.delegate.setLogLevel(loggerName, level);
	}

	@Override
	public List<LoggerConfiguration> getLoggerConfigurations() {
		return this.delegate.getLoggerConfigurations();
	}

	@Override
	public @Nullable LoggerConfiguration getLoggerConfiguration(String loggerName) {
		return this.delegate.getLoggerConfiguration(loggerName);
	}

}
