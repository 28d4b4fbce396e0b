package dev.recycling.autoconfigure;

import java.time.Duration;

import dev.recycling.fleet.LeaseTableName;
import dev.recycling.restart.RecycleMode;
import dev.recycling.restart.RestartStrategy;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.InitializingBean;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.util.ClassUtils;
import org.springframework.util.StringUtils;
import org.springframework.util.unit.DataSize;

/**
 * Configuration properties for graceful worker recycling.
 *
 * @author recycling team
 */
@ConfigurationProperties("recycling")
public class RecyclingProperties implements InitializingBean {

	private static final int MAX_HISTORY_SIZE = 1000;

	private static final Duration MIN_MEMORY_CHECK_INTERVAL = Duration.ofMillis(100);

	/**
	 * Whether recycling, the drain gate and analytics flushing are enabled.
	 */
	private boolean enabled = true;

	/**
	 * Number of application requests after which a generation is recycled (a servlet
	 * request counts as it ends, a WebFlux exchange as it starts). 0 disables the request
	 * limit.
	 */
	private long maxRequests;

	/**
	 * Upper bound of the random number (uniform, inclusive) added to max-requests, drawn
	 * once per generation, so that instances do not recycle in step.
	 */
	private long maxRequestsJitter;

	/**
	 * Age after which a generation is recycled. Unset disables the lifetime limit.
	 */
	private @Nullable Duration maxLifetime;

	/**
	 * Upper bound of the random duration (uniform, inclusive) added to max-lifetime, drawn
	 * once per generation. Unset means no jitter.
	 */
	private @Nullable Duration maxLifetimeJitter;

	/**
	 * Age before which no automatic trigger recycles a generation.
	 */
	private Duration minLifetime = Duration.ZERO;

	/**
	 * What a recycle does: restart the application context in the same JVM, or exit the
	 * JVM and let the supervisor start a new one.
	 */
	private RecycleMode mode = RecycleMode.CONTEXT;

	/**
	 * Exit status of the JVM when mode is 'exit'.
	 */
	private int exitCode;

	/**
	 * Number of ended generations whose records are kept and shown by the recycling
	 * actuator endpoint.
	 */
	private int historySize = 20;

	private final Drain drain = new Drain();

	private final Shutdown shutdown = new Shutdown();

	private final Memory memory = new Memory();

	private final Restart restart = new Restart();

	private final Fleet fleet = new Fleet();

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public long getMaxRequests() {
		return this.maxRequests;
	}

	public void setMaxRequests(long maxRequests) {
		this.maxRequests = maxRequests;
	}

	public long getMaxRequestsJitter() {
		return this.maxRequestsJitter;
	}

	public void setMaxRequestsJitter(long maxRequestsJitter) {
		this.maxRequestsJitter = maxRequestsJitter;
	}

	public @Nullable Duration getMaxLifetime() {
		return this.maxLifetime;
	}

	public void setMaxLifetime(@Nullable Duration maxLifetime) {
		this.maxLifetime = maxLifetime;
	}

	public @Nullable Duration getMaxLifetimeJitter() {
		return this.maxLifetimeJitter;
	}

	public void setMaxLifetimeJitter(@Nullable Duration maxLifetimeJitter) {
		this.maxLifetimeJitter = maxLifetimeJitter;
	}

	public Duration getMinLifetime() {
		return this.minLifetime;
	}

	public void setMinLifetime(Duration minLifetime) {
		this.minLifetime = minLifetime;
	}

	public RecycleMode getMode() {
		return this.mode;
	}

	public void setMode(RecycleMode mode) {
		this.mode = mode;
	}

	public int getExitCode() {
		return this.exitCode;
	}

	public void setExitCode(int exitCode) {
		this.exitCode = exitCode;
	}

	public int getHistorySize() {
		return this.historySize;
	}

	public void setHistorySize(int historySize) {
		this.historySize = historySize;
	}

	public Drain getDrain() {
		return this.drain;
	}

	public Shutdown getShutdown() {
		return this.shutdown;
	}

	public Memory getMemory() {
		return this.memory;
	}

	public Restart getRestart() {
		return this.restart;
	}

	public Fleet getFleet() {
		return this.fleet;
	}

	/**
	 * Stop start-up on any invalid value, naming the property, the value and the fix.
	 */
	@Override
	public void afterPropertiesSet() {
		if (this.maxRequests < 0) {
			throw invalid("max-requests", this.maxRequests,
					"It must be 0 (no request limit) or a positive number of requests.");
		}
		if (this.maxRequestsJitter < 0) {
			throw invalid("max-requests-jitter", this.maxRequestsJitter,
					"It must be 0 (no jitter) or a positive number of requests.");
		}
		if (this.maxRequestsJitter > 0 && this.maxRequests == 0) {
			throw invalid("max-requests-jitter", this.maxRequestsJitter,
					"Jitter needs a request limit: set recycling.max-requests too, or remove the jitter.");
		}
		if (this.maxRequests > Long.MAX_VALUE - this.maxRequestsJitter) {
			throw invalid("max-requests", this.maxRequests,
					"max-requests plus max-requests-jitter must fit in a long: lower one of them.");
		}
		if (this.maxLifetime != null && (this.maxLifetime.isNegative() || this.maxLifetime.isZero())) {
			throw invalid("max-lifetime", this.maxLifetime,
					"It must be a positive duration such as 6h, or unset for no lifetime limit.");
		}
		if (this.maxLifetimeJitter != null && this.maxLifetimeJitter.isNegative()) {
			throw invalid("max-lifetime-jitter", this.maxLifetimeJitter,
					"It must be a positive duration such as 30m, or unset for no jitter.");
		}
		if (this.maxLifetimeJitter != null && !this.maxLifetimeJitter.isZero() && this.maxLifetime == null) {
			throw invalid("max-lifetime-jitter", this.maxLifetimeJitter,
					"Jitter needs a lifetime limit: set recycling.max-lifetime too, or remove the jitter.");
		}
		if (this.minLifetime.isNegative()) {
			throw invalid("min-lifetime", this.minLifetime, "It must be zero or a positive duration such as 1m.");
		}
		if (this.maxLifetime != null && this.minLifetime.compareTo(this.maxLifetime) > 0) {
			throw invalid("min-lifetime", this.minLifetime, "It must not exceed recycling.max-lifetime ("
					+ print(this.maxLifetime) + "): lower min-lifetime or raise max-lifetime.");
		}
		if (this.exitCode < 0 || this.exitCode > 255) {
			throw invalid("exit-code", this.exitCode, "It must be between 0 and 255 (a process exit status).");
		}
		if (this.historySize < 1 || this.historySize > MAX_HISTORY_SIZE) {
			throw invalid("history-size", this.historySize,
					"It must be between 1 and " + MAX_HISTORY_SIZE + " generation records.");
		}
		this.drain.validate();
		this.shutdown.validate();
		this.memory.validate();
		this.restart.validate();
		this.fleet.validate();
	}

	/**
	 * Check the properties against a reactive web server: an in-process recycle holds the
	 * listening socket of Reactor Netty only.
	 * @param socketHeld whether the server's listening socket is held across restarts
	 * @throws InvalidConfigurationPropertyValueException naming the property to change
	 */
	public void validateForReactiveServer(boolean socketHeld) {
		if (this.enabled && this.mode == RecycleMode.CONTEXT && !socketHeld) {
			throw invalid("mode", "context", "An in-process recycle holds the listening socket of Reactor Netty only; "
					+ "on this reactive web server it would close the socket and refuse connections. Use Reactor "
					+ "Netty (spring-boot-starter-webflux's default), or set recycling.mode=exit (the process exits "
					+ "after the limit and your supervisor starts a new one), or recycling.enabled=false.");
		}
	}

	private static String print(Duration duration) {
		return DurationStyle.SIMPLE.print(duration);
	}

	private static InvalidConfigurationPropertyValueException invalid(String name, Object value, String reason) {
		return new InvalidConfigurationPropertyValueException("recycling." + name, value, reason);
	}

	/**
	 * Drain gate properties.
	 */
	public static class Drain {

		/**
		 * Whether the drain gate runs before the web server stops taking connections, on
		 * recycle and on shutdown.
		 */
		private boolean enabled = true;

		/**
		 * How long no application request may start, after a readiness probe was answered
		 * 'not ready', before traffic counts as stopped.
		 */
		private Duration quietPeriod = Duration.ofSeconds(2);

		/**
		 * Longest drain, including the wait for accepted connections. Keep it below the
		 * platform's grace period (Kubernetes terminationGracePeriodSeconds) minus the
		 * graceful shutdown.
		 */
		private Duration timeout = Duration.ofSeconds(20);

		/**
		 * Readiness probes answered at a regular interval, the last one within this window,
		 * mean a load balancer or kubelet watches readiness, so the drain waits for it (at
		 * most three of its intervals); with none, or a single one-off check, the drain
		 * skips that wait.
		 */
		private Duration probeWindow = Duration.ofSeconds(30);

		/**
		 * How long a connection the server accepted may stay silent, with no request in
		 * flight, once the server stopped taking connections, before it counts as an idle
		 * keep-alive connection and is left to the graceful shutdown, which closes it.
		 */
		private Duration idleTimeout = Duration.ofSeconds(1);

		/**
		 * Path of the readiness probe whose answers the drain gate watches. Defaults to the
		 * actuator's readiness health group.
		 */
		private @Nullable String readinessPath;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public Duration getQuietPeriod() {
			return this.quietPeriod;
		}

		public void setQuietPeriod(Duration quietPeriod) {
			this.quietPeriod = quietPeriod;
		}

		public Duration getTimeout() {
			return this.timeout;
		}

		public void setTimeout(Duration timeout) {
			this.timeout = timeout;
		}

		public Duration getProbeWindow() {
			return this.probeWindow;
		}

		public void setProbeWindow(Duration probeWindow) {
			this.probeWindow = probeWindow;
		}

		public Duration getIdleTimeout() {
			return this.idleTimeout;
		}

		public void setIdleTimeout(Duration idleTimeout) {
			this.idleTimeout = idleTimeout;
		}

		public @Nullable String getReadinessPath() {
			return this.readinessPath;
		}

		public void setReadinessPath(@Nullable String readinessPath) {
			this.readinessPath = readinessPath;
		}

		void validate() {
			if (this.quietPeriod.isNegative()) {
				throw invalid("drain.quiet-period", this.quietPeriod, "It must be zero or a positive duration such as 2s.");
			}
			if (this.timeout.isNegative() || this.timeout.isZero()) {
				throw invalid("drain.timeout", this.timeout, "It must be a positive duration such as 20s.");
			}
			if (this.timeout.compareTo(this.quietPeriod) < 0) {
				throw invalid("drain.timeout", this.timeout, "It must be at least recycling.drain.quiet-period ("
						+ print(this.quietPeriod) + "): raise the timeout or shorten the quiet period.");
			}
			if (this.probeWindow.isNegative() || this.probeWindow.isZero()) {
				throw invalid("drain.probe-window", this.probeWindow,
						"It must be a positive duration, longer than the readiness probe period, such as 30s.");
			}
			if (this.idleTimeout.isNegative() || this.idleTimeout.isZero()) {
				throw invalid("drain.idle-timeout", this.idleTimeout, "It must be a positive duration such as 1s.");
			}
			if (this.idleTimeout.compareTo(this.timeout) > 0) {
				throw invalid("drain.idle-timeout", this.idleTimeout, "It must be at most recycling.drain.timeout ("
						+ print(this.timeout) + "): the whole close never takes longer than the timeout.");
			}
			if (this.readinessPath != null && !this.readinessPath.startsWith("/")) {
				throw invalid("drain.readiness-path", this.readinessPath,
						"It must be a path starting with '/', such as /actuator/health/readiness.");
			}
		}

	}

	/**
	 * Shutdown hook chain properties.
	 */
	public static class Shutdown {

		/**
		 * Longest run of one shutdown hook that does not set its own timeout. The hook is
		 * interrupted after it and the next hook runs.
		 */
		private Duration hookTimeout = Duration.ofSeconds(10);

		public Duration getHookTimeout() {
			return this.hookTimeout;
		}

		public void setHookTimeout(Duration hookTimeout) {
			this.hookTimeout = hookTimeout;
		}

		void validate() {
			if (this.hookTimeout.isNegative() || this.hookTimeout.isZero()) {
				throw invalid("shutdown.hook-timeout", this.hookTimeout, "It must be a positive duration such as 10s.");
			}
		}

	}

	/**
	 * Memory trigger properties.
	 */
	public static class Memory {

		/**
		 * Percent of the maximum heap still used after garbage collection (collection usage
		 * of the heap pools, not the instantaneous heap use) at or above which a generation
		 * is recycled, such as 85. Unset disables the heap trigger.
		 */
		private @Nullable Double heapAfterGcThreshold;

		/**
		 * Resident set size of the process at or above which a generation is recycled, such
		 * as 1GB. Read from /proc/self/status (Linux); elsewhere the trigger stays off. Unset
		 * disables the RSS trigger.
		 */
		private @Nullable DataSize rssThreshold;

		/**
		 * How often the memory triggers compare memory with their thresholds, off the
		 * request path.
		 */
		private Duration checkInterval = Duration.ofSeconds(5);

		/**
		 * Completed application requests after which a generation counts as warm and its
		 * start memory is recorded (or warm-up, whichever comes first).
		 */
		private long warmUpRequests = 100;

		/**
		 * Age after which a generation counts as warm and its start memory is recorded (or
		 * warm-up-requests, whichever comes first).
		 */
		private Duration warmUp = Duration.ofMinutes(1);

		/**
		 * Whether to take a class histogram at warm-up and as each generation ends, and
		 * keep the classes that grew most in its record. Each histogram is a full,
		 * stop-the-world collection plus a walk of the heap: tens of milliseconds for a
		 * small heap, seconds for a large one.
		 */
		private boolean classHistogram;

		public @Nullable Double getHeapAfterGcThreshold() {
			return this.heapAfterGcThreshold;
		}

		public void setHeapAfterGcThreshold(@Nullable Double heapAfterGcThreshold) {
			this.heapAfterGcThreshold = heapAfterGcThreshold;
		}

		public @Nullable DataSize getRssThreshold() {
			return this.rssThreshold;
		}

		public void setRssThreshold(@Nullable DataSize rssThreshold) {
			this.rssThreshold = rssThreshold;
		}

		public Duration getCheckInterval() {
			return this.checkInterval;
		}

		public void setCheckInterval(Duration checkInterval) {
			this.checkInterval = checkInterval;
		}

		public boolean isClassHistogram() {
			return this.classHistogram;
		}

		public void setClassHistogram(boolean classHistogram) {
			this.classHistogram = classHistogram;
		}

		public long getWarmUpRequests() {
			return this.warmUpRequests;
		}

		public void setWarmUpRequests(long warmUpRequests) {
			this.warmUpRequests = warmUpRequests;
		}

		public Duration getWarmUp() {
			return this.warmUp;
		}

		public void setWarmUp(Duration warmUp) {
			this.warmUp = warmUp;
		}

		void validate() {
			Double heap = this.heapAfterGcThreshold;
			if (heap != null && (heap.isNaN() || heap <= 0 || heap >= 100)) {
				throw invalid("memory.heap-after-gc-threshold", heap,
						"It is a percentage of the maximum heap: a number above 0 and below 100, such as 85.");
			}
			if (this.rssThreshold != null && this.rssThreshold.toBytes() <= 0) {
				throw invalid("memory.rss-threshold", this.rssThreshold,
						"It must be a positive size such as 1GB or 768MB, or unset for no RSS trigger.");
			}
			if (this.warmUpRequests < 0) {
				throw invalid("memory.warm-up-requests", this.warmUpRequests,
						"It must be 0 (warm at once) or a positive number of requests, such as 100.");
			}
			if (this.warmUp.isNegative()) {
				throw invalid("memory.warm-up", this.warmUp, "It must be zero or a positive duration such as 1m.");
			}
			if (this.checkInterval.compareTo(MIN_MEMORY_CHECK_INTERVAL) < 0) {
				throw invalid("memory.check-interval", this.checkInterval, "It must be at least "
						+ MIN_MEMORY_CHECK_INTERVAL.toMillis() + "ms, such as 5s: reading memory is not free.");
			}
		}

	}

	/**
	 * Context restart properties ({@code recycling.mode=context}).
	 */
	public static class Restart {

		/**
		 * How the next generation replaces the current one: overlap (it starts while the
		 * current one serves, then takes over the socket) or sequential (close, then start).
		 */
		private RestartStrategy strategy = RestartStrategy.OVERLAP;

		/**
		 * Overlap only while the heap still used after garbage collection is at most this
		 * percent of the maximum heap, so that two generations fit; above it that recycle
		 * runs sequentially and says so in the log and the record.
		 */
		private double overlapHeapThreshold = 45;

		/**
		 * Wait after a next generation failed to start (overlap) before the recycle is tried
		 * again; doubled after each further failure, up to max-retry-backoff. The current
		 * generation keeps serving meanwhile.
		 */
		private Duration retryBackoff = Duration.ofSeconds(30);

		/**
		 * Longest wait between two attempts to start a next generation.
		 */
		private Duration maxRetryBackoff = Duration.ofMinutes(10);

		/**
		 * Whether HTTP sessions survive recycles: the web servers of all generations share
		 * one session store in the JVM (Tomcat and Jetty). Session-scoped beans are not
		 * kept: they belong to the generation that created them.
		 */
		private boolean keepSessions = true;

		public RestartStrategy getStrategy() {
			return this.strategy;
		}

		public void setStrategy(RestartStrategy strategy) {
			this.strategy = strategy;
		}

		public double getOverlapHeapThreshold() {
			return this.overlapHeapThreshold;
		}

		public void setOverlapHeapThreshold(double overlapHeapThreshold) {
			this.overlapHeapThreshold = overlapHeapThreshold;
		}

		public Duration getRetryBackoff() {
			return this.retryBackoff;
		}

		public void setRetryBackoff(Duration retryBackoff) {
			this.retryBackoff = retryBackoff;
		}

		public Duration getMaxRetryBackoff() {
			return this.maxRetryBackoff;
		}

		public void setMaxRetryBackoff(Duration maxRetryBackoff) {
			this.maxRetryBackoff = maxRetryBackoff;
		}

		public boolean isKeepSessions() {
			return this.keepSessions;
		}

		public void setKeepSessions(boolean keepSessions) {
			this.keepSessions = keepSessions;
		}

		void validate() {
			if (Double.isNaN(this.overlapHeapThreshold) || this.overlapHeapThreshold <= 0
					|| this.overlapHeapThreshold > 100) {
				throw invalid("restart.overlap-heap-threshold", this.overlapHeapThreshold,
						"It is a percentage of the maximum heap: above 0 and at most 100, such as 45 (100 always "
								+ "overlaps; use recycling.restart.strategy=sequential to never overlap).");
			}
			if (this.retryBackoff.isNegative() || this.retryBackoff.isZero()) {
				throw invalid("restart.retry-backoff", this.retryBackoff, "It must be a positive duration such as 30s.");
			}
			if (this.maxRetryBackoff.compareTo(this.retryBackoff) < 0) {
				throw invalid("restart.max-retry-backoff", this.maxRetryBackoff, "It must be at least "
						+ "recycling.restart.retry-backoff (" + print(this.retryBackoff) + ").");
			}
		}

	}

	/**
	 * Recycle budget of a fleet: instances that share a database recycle at most so many
	 * at once.
	 */
	public static class Fleet {

		private static final int MAX_NAME_LENGTH = 60;

		private static final int MAX_SLOTS = 100;

		/**
		 * How many instances of the fleet may recycle at the same time (automatic recycles;
		 * an operator's recycle does not wait). Unset switches the budget off.
		 */
		private @Nullable Integer maxConcurrentRecycles;

		/**
		 * Name of the fleet, the same on all its instances. Defaults to
		 * spring.application.name.
		 */
		private @Nullable String name;

		/**
		 * How long a recycle slot is held at most: a slot not given back (the instance was
		 * killed) is free again after it. Longer than a recycle takes.
		 */
		private Duration lease = Duration.ofMinutes(5);

		/**
		 * How long a recycle waits for a free slot, serving meanwhile, before it goes on
		 * without one.
		 */
		private Duration maxWait = Duration.ofMinutes(15);

		/**
		 * Table of the leases in the shared database.
		 */
		private String table = "recycling_fleet_leases";

		/**
		 * Whether to create the table of the leases on first use if it is missing.
		 */
		private boolean createTable = true;

		public @Nullable Integer getMaxConcurrentRecycles() {
			return this.maxConcurrentRecycles;
		}

		public void setMaxConcurrentRecycles(@Nullable Integer maxConcurrentRecycles) {
			this.maxConcurrentRecycles = maxConcurrentRecycles;
		}

		public @Nullable String getName() {
			return this.name;
		}

		public void setName(@Nullable String name) {
			this.name = name;
		}

		public Duration getLease() {
			return this.lease;
		}

		public void setLease(Duration lease) {
			this.lease = lease;
		}

		public Duration getMaxWait() {
			return this.maxWait;
		}

		public void setMaxWait(Duration maxWait) {
			this.maxWait = maxWait;
		}

		public String getTable() {
			return this.table;
		}

		public void setTable(String table) {
			this.table = table;
		}

		public boolean isCreateTable() {
			return this.createTable;
		}

		public void setCreateTable(boolean createTable) {
			this.createTable = createTable;
		}

		/**
		 * Return the fleet's name: the configured one, else the application's.
		 * @param applicationName the value of spring.application.name, or {@code null}
		 * @return the name
		 * @throws InvalidConfigurationPropertyValueException if there is none
		 */
		public String resolveName(@Nullable String applicationName) {
			String resolved = StringUtils.hasText(this.name) ? this.name : applicationName;
			if (!StringUtils.hasText(resolved)) {
				throw invalid("fleet.name", "", "The recycle budget needs the fleet's name, the same on all its "
						+ "instances: set recycling.fleet.name or spring.application.name.");
			}
			if (resolved.length() > MAX_NAME_LENGTH) {
				throw invalid("fleet.name", resolved, "It must be at most " + MAX_NAME_LENGTH + " characters long.");
			}
			return resolved;
		}

		void validate() {
			if (this.maxConcurrentRecycles == null) {
				return;
			}
			if (this.maxConcurrentRecycles < 1 || this.maxConcurrentRecycles > MAX_SLOTS) {
				throw invalid("fleet.max-concurrent-recycles", this.maxConcurrentRecycles, "It must be between 1 and "
						+ MAX_SLOTS + " instances, or unset to switch the recycle budget off.");
			}
			if (this.lease.compareTo(Duration.ofSeconds(1)) < 0) {
				throw invalid("fleet.lease", this.lease,
						"It must be at least 1s, and longer than a recycle takes, such as 5m.");
			}
			if (this.maxWait.isNegative()) {
				throw invalid("fleet.max-wait", this.maxWait, "It must be zero or a positive duration such as 15m.");
			}
			if (!LeaseTableName.isValid(this.table)) {
				throw invalid("fleet.table", this.table, "It must be a plain table name: letters, digits and "
						+ "underscores, at most 63 characters, not starting with a digit.");
			}
			if (!ClassUtils.isPresent("net.javacrumbs.shedlock.provider.jdbctemplate.JdbcTemplateLockProvider",
					Fleet.class.getClassLoader())) {
				throw invalid("fleet.max-concurrent-recycles", this.maxConcurrentRecycles, "The recycle budget keeps "
						+ "its leases with ShedLock: add net.javacrumbs.shedlock:shedlock-provider-jdbc-template "
						+ "(recycling-starter brings it), or unset the property.");
			}
		}

	}

}
