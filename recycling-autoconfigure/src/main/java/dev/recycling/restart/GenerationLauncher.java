package dev.recycling.restart;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.Banner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Starts generations: runs the same {@link SpringApplication} again with the same
 * arguments, on threads that carry the class loader of the thread that first ran it.
 * <p>
 * A recycle is usually decided on a request thread, whose context class loader is the
 * running generation's web application class loader; a generation started with it would
 * build its own loader on top of a closed one. A generation that starts while its
 * predecessor serves leaves the logging backend as it is ({@link KeptLoggingSystem}).
 *
 * @author recycling team
 */
final class GenerationLauncher {

	private final SpringApplication application;

	private final String[] args;

	private final @Nullable ClassLoader launcherClassLoader;

	private volatile boolean loggingPropertySet;

	private volatile boolean keepingLogging;

	private volatile @Nullable ScheduledExecutorService scheduler;

	GenerationLauncher(SpringApplication application, String[] args, @Nullable ClassLoader launcherClassLoader) {
		this.application = application;
		this.args = args.clone();
		this.launcherClassLoader = launcherClassLoader;
	}

	/**
	 * Run the application once more.
	 * @param keepLogging whether the logging backend is configured and in use (or its
	 * clean-up is a no-op), so that the new generation must leave it as it is
	 * @return the new generation's context
	 */
	ConfigurableApplicationContext run(boolean keepLogging) {
		boolean set = keepLogging && System.getProperty(LoggingSystem.SYSTEM_PROPERTY) == null;
		if (set) {
			System.setProperty(LoggingSystem.SYSTEM_PROPERTY, KeptLoggingSystem.class.getName());
			this.loggingPropertySet = true;
		}
		this.keepingLogging = keepLogging;
		// the first generation printed them; the recycler logs one line per generation instead
		this.application.setBannerMode(Banner.Mode.OFF);
		this.application.setLogStartupInfo(false);
		try {
			return this.application.run(this.args);
		}
		finally {
			applicationStarting();
		}
	}

	/**
	 * Called as a run of the application starts: Spring Boot's logging listener has read
	 * the logging system property by then, so no other application in this JVM may see it.
	 */
	void applicationStarting() {
		if (this.loggingPropertySet) {
			this.loggingPropertySet = false;
			if (KeptLoggingSystem.class.getName().equals(System.getProperty(LoggingSystem.SYSTEM_PROPERTY))) {
				System.clearProperty(LoggingSystem.SYSTEM_PROPERTY);
			}
		}
	}

	/**
	 * Return whether the run under way leaves the logging backend as it is.
	 * @return whether logging is kept
	 */
	boolean isKeepingLogging() {
		return this.keepingLogging;
	}

	/**
	 * Run a task on a new non-daemon thread, so that the JVM does not exit while no
	 * generation runs.
	 * @param task the task
	 * @param name the thread's name
	 */
	void startThread(Runnable task, String name) {
		Thread thread = new Thread(task, name);
		thread.setDaemon(false);
		thread.setContextClassLoader(this.launcherClassLoader);
		thread.start();
	}

	/**
	 * Run a task after a delay, on a daemon thread shared by every generation.
	 * @param task the task
	 * @param delay the delay
	 * @return the scheduled task
	 */
	ScheduledFuture<?> schedule(Runnable task, Duration delay) {
		return scheduler().schedule(task, delay.toMillis(), TimeUnit.MILLISECONDS);
	}

	private ScheduledExecutorService scheduler() {
		ScheduledExecutorService scheduler = this.scheduler;
		if (scheduler == null) {
			synchronized (this) {
				scheduler = this.scheduler;
				if (scheduler == null) {
					scheduler = Executors.newSingleThreadScheduledExecutor((task) -> {
						Thread thread = new Thread(task, "recycler-retry");
						thread.setDaemon(true);
						thread.setContextClassLoader(this.launcherClassLoader);
						return thread;
					});
					this.scheduler = scheduler;
				}
			}
		}
		return scheduler;
	}

	/**
	 * Return whether the JVM is shutting down, when starting a generation is pointless.
	 * @return whether shutdown hooks are running
	 */
	static boolean shutdownInProgress() {
		Thread probe = new Thread(() -> {
		});
		try {
			Runtime.getRuntime().addShutdownHook(probe);
			Runtime.getRuntime().removeShutdownHook(probe);
			return false;
		}
		catch (IllegalStateException ex) {
			return true;
		}
	}

}
