package dev.recycling.analytics.autoconfigure;

import java.io.File;
import java.time.Duration;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.InitializingBean;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.boot.sql.init.DatabaseInitializationMode;
import org.springframework.util.unit.DataSize;

/**
 * Configuration of the buffered analytics and their durable flush.
 *
 * @author recycling team
 */
@ConfigurationProperties("recycling.analytics")
public class AnalyticsProperties implements InitializingBean {

	/**
	 * Whether usage counts are buffered and flushed as durable tasks.
	 */
	private boolean enabled = true;

	/**
	 * Time between periodic flushes of both caches.
	 */
	private Duration flushInterval = Duration.ofSeconds(60);

	/**
	 * Most distinct keys a cache holds before it is flushed early.
	 */
	private int maxKeys = 100_000;

	/**
	 * Most heap held by batches in memory while the database cannot take them; beyond this
	 * the oldest batches are written to the spill directory. Unset means 5% of the maximum
	 * heap (at least 1MB).
	 */
	private @Nullable DataSize maxPendingMemory;

	/**
	 * Directory of the batches that could not be enqueued, replayed on the next start. Put
	 * it on a volume that outlives the process.
	 */
	private File spillDirectory = new File("analytics-spill");

	/**
	 * When to create the analytics tables: 'embedded' (only for an embedded database),
	 * 'always' or 'never'.
	 */
	private DatabaseInitializationMode initializeSchema = DatabaseInitializationMode.EMBEDDED;

	/**
	 * Longest shutdown flush, spilling included. The database gets three quarters of it
	 * (at most all but 2s); what it has not taken by then is spilled.
	 */
	private Duration shutdownTimeout = Duration.ofSeconds(10);

	private final Processing processing = new Processing();

	private final Retry retry = new Retry();

	private final CircuitBreaker circuitBreaker = new CircuitBreaker();

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public Duration getFlushInterval() {
		return this.flushInterval;
	}

	public void setFlushInterval(Duration flushInterval) {
		this.flushInterval = flushInterval;
	}

	public int getMaxKeys() {
		return this.maxKeys;
	}

	public void setMaxKeys(int maxKeys) {
		this.maxKeys = maxKeys;
	}

	public @Nullable DataSize getMaxPendingMemory() {
		return this.maxPendingMemory;
	}

	public void setMaxPendingMemory(@Nullable DataSize maxPendingMemory) {
		this.maxPendingMemory = maxPendingMemory;
	}

	/**
	 * Return the bound of the batches held in memory: the configured one, or 5% of the
	 * maximum heap.
	 * @param maxHeap the maximum heap in bytes
	 * @return the bound in bytes
	 */
	public long maxPendingBytes(long maxHeap) {
		if (this.maxPendingMemory != null) {
			return this.maxPendingMemory.toBytes();
		}
		return Math.max(DataSize.ofMegabytes(1).toBytes(), maxHeap / 20);
	}

	public File getSpillDirectory() {
		return this.spillDirectory;
	}

	public void setSpillDirectory(File spillDirectory) {
		this.spillDirectory = spillDirectory;
	}

	public DatabaseInitializationMode getInitializeSchema() {
		return this.initializeSchema;
	}

	public void setInitializeSchema(DatabaseInitializationMode initializeSchema) {
		this.initializeSchema = initializeSchema;
	}

	public Duration getShutdownTimeout() {
		return this.shutdownTimeout;
	}

	public void setShutdownTimeout(Duration shutdownTimeout) {
		this.shutdownTimeout = shutdownTimeout;
	}

	public Processing getProcessing() {
		return this.processing;
	}

	public Retry getRetry() {
		return this.retry;
	}

	public CircuitBreaker getCircuitBreaker() {
		return this.circuitBreaker;
	}

	/**
	 * Stop start-up on any invalid value, naming the property, the value and the fix.
	 */
	@Override
	public void afterPropertiesSet() {
		positive("flush-interval", this.flushInterval, "60s");
		if (this.maxKeys < 1) {
			throw invalid("max-keys", this.maxKeys, "It must be a positive number of keys, such as 100000.");
		}
		if (this.maxPendingMemory != null) {
			long maxHeap = Runtime.getRuntime().maxMemory();
			if (this.maxPendingMemory.toBytes() < 1) {
				throw invalid("max-pending-memory", this.maxPendingMemory,
						"It must be a positive size such as 32MB; leave it unset for 5% of the maximum heap.");
			}
			if (this.maxPendingMemory.toBytes() > maxHeap / 2) {
				throw invalid("max-pending-memory", this.maxPendingMemory,
						"It must be at most half of the maximum heap (" + DataSize.ofBytes(maxHeap / 2).toMegabytes()
								+ "MB of " + DataSize.ofBytes(maxHeap).toMegabytes()
								+ "MB), or an outage could exhaust it; leave it unset for 5% of the maximum heap.");
			}
		}
		if (this.spillDirectory.getPath().isBlank()) {
			throw invalid("spill-directory", this.spillDirectory, "It must name a directory, such as /var/spill.");
		}
		positive("shutdown-timeout", this.shutdownTimeout, "10s");
		positive("processing.polling-interval", this.processing.pollingInterval, "10s");
		if (this.processing.threads < 1) {
			throw invalid("processing.threads", this.processing.threads, "It must be at least 1.");
		}
		positive("processing.shutdown-wait", this.processing.shutdownWait, "10s");
		positive("processing.first-retry", this.processing.firstRetry, "1s");
		if (this.processing.maxRetry.compareTo(this.processing.firstRetry) < 0) {
			throw invalid("processing.max-retry", this.processing.maxRetry,
					"It must be at least recycling.analytics.processing.first-retry ("
							+ DurationStyle.SIMPLE.print(this.processing.firstRetry) + ").");
		}
		if (this.processing.appliedBatchesRetention.compareTo(Duration.ofHours(1)) < 0) {
			throw invalid("processing.applied-batches-retention", this.processing.appliedBatchesRetention,
					"It must be at least 1h, and well above the longest outage a spilled batch may wait out, "
							+ "such as 30d: a batch sent again after its id is deleted would be applied twice.");
		}
		positive("processing.housekeeping-interval", this.processing.housekeepingInterval, "1h");
		if (this.retry.maxAttempts < 1) {
			throw invalid("retry.max-attempts", this.retry.maxAttempts, "It must be at least 1 (1 means no retry).");
		}
		positive("retry.initial-backoff", this.retry.initialBackoff, "200ms");
		if (this.retry.multiplier < 1.0) {
			throw invalid("retry.multiplier", this.retry.multiplier, "It must be 1.0 (constant backoff) or more.");
		}
		if (this.circuitBreaker.failureRateThreshold <= 0 || this.circuitBreaker.failureRateThreshold > 100) {
			throw invalid("circuit-breaker.failure-rate-threshold", this.circuitBreaker.failureRateThreshold,
					"It must be a percentage above 0 and at most 100, such as 50.");
		}
		if (this.circuitBreaker.slidingWindowSize < 1) {
			throw invalid("circuit-breaker.sliding-window-size", this.circuitBreaker.slidingWindowSize,
					"It must be a positive number of flushes, such as 4.");
		}
		positive("circuit-breaker.wait-in-open-state", this.circuitBreaker.waitInOpenState, "30s");
	}

	private static void positive(String name, Duration value, String example) {
		if (value.isNegative() || value.isZero()) {
			throw invalid(name, value, "It must be a positive duration such as " + example + ".");
		}
	}

	private static InvalidConfigurationPropertyValueException invalid(String name, Object value, String reason) {
		return new InvalidConfigurationPropertyValueException("recycling.analytics." + name, value, reason);
	}

	/**
	 * Properties of the processor that applies the batches.
	 */
	public static class Processing {

		/**
		 * Whether this instance applies batches. Any instance may apply any instance's
		 * batches; switch it off on instances that should only enqueue.
		 */
		private boolean enabled = true;

		/**
		 * How often the processor looks for batches to apply. A batch enqueued by this
		 * instance is applied at once.
		 */
		private Duration pollingInterval = Duration.ofSeconds(10);

		/**
		 * How many batches may be applied at once.
		 */
		private int threads = 1;

		/**
		 * Longest wait at shutdown for a batch being applied.
		 */
		private Duration shutdownWait = Duration.ofSeconds(10);

		/**
		 * Wait before retrying a batch whose application failed; it doubles on each failure.
		 */
		private Duration firstRetry = Duration.ofSeconds(1);

		/**
		 * Longest wait between retries of a failing batch.
		 */
		private Duration maxRetry = Duration.ofMinutes(5);

		/**
		 * How long the ids of applied batches are kept, which is how long a batch sent
		 * again is still recognized and not applied twice. Keep it well above the longest
		 * outage a spilled batch may wait out.
		 */
		private Duration appliedBatchesRetention = Duration.ofDays(30);

		/**
		 * How often one processor of all instances deletes the ids of batches applied
		 * longer ago than applied-batches-retention.
		 */
		private Duration housekeepingInterval = Duration.ofHours(1);

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public Duration getPollingInterval() {
			return this.pollingInterval;
		}

		public void setPollingInterval(Duration pollingInterval) {
			this.pollingInterval = pollingInterval;
		}

		public int getThreads() {
			return this.threads;
		}

		public void setThreads(int threads) {
			this.threads = threads;
		}

		public Duration getShutdownWait() {
			return this.shutdownWait;
		}

		public void setShutdownWait(Duration shutdownWait) {
			this.shutdownWait = shutdownWait;
		}

		public Duration getFirstRetry() {
			return this.firstRetry;
		}

		public void setFirstRetry(Duration firstRetry) {
			this.firstRetry = firstRetry;
		}

		public Duration getMaxRetry() {
			return this.maxRetry;
		}

		public void setMaxRetry(Duration maxRetry) {
			this.maxRetry = maxRetry;
		}

		public Duration getAppliedBatchesRetention() {
			return this.appliedBatchesRetention;
		}

		public void setAppliedBatchesRetention(Duration appliedBatchesRetention) {
			this.appliedBatchesRetention = appliedBatchesRetention;
		}

		public Duration getHousekeepingInterval() {
			return this.housekeepingInterval;
		}

		public void setHousekeepingInterval(Duration housekeepingInterval) {
			this.housekeepingInterval = housekeepingInterval;
		}

	}

	/**
	 * Retry of the enqueue at shutdown.
	 */
	public static class Retry {

		/**
		 * Most attempts to enqueue a batch at shutdown, the first included.
		 */
		private int maxAttempts = 3;

		/**
		 * Wait after the first failed attempt.
		 */
		private Duration initialBackoff = Duration.ofMillis(200);

		/**
		 * Factor applied to the wait after each further failed attempt.
		 */
		private double multiplier = 2.0;

		public int getMaxAttempts() {
			return this.maxAttempts;
		}

		public void setMaxAttempts(int maxAttempts) {
			this.maxAttempts = maxAttempts;
		}

		public Duration getInitialBackoff() {
			return this.initialBackoff;
		}

		public void setInitialBackoff(Duration initialBackoff) {
			this.initialBackoff = initialBackoff;
		}

		public double getMultiplier() {
			return this.multiplier;
		}

		public void setMultiplier(double multiplier) {
			this.multiplier = multiplier;
		}

	}

	/**
	 * Circuit breaker of the periodic, early and manual flushes.
	 */
	public static class CircuitBreaker {

		/**
		 * Percentage of failed flushes in the sliding window that opens the breaker.
		 */
		private float failureRateThreshold = 50;

		/**
		 * Number of recent flushes the failure rate is computed over.
		 */
		private int slidingWindowSize = 4;

		/**
		 * How long an open breaker skips the database before letting one flush try again.
		 */
		private Duration waitInOpenState = Duration.ofSeconds(30);

		public float getFailureRateThreshold() {
			return this.failureRateThreshold;
		}

		public void setFailureRateThreshold(float failureRateThreshold) {
			this.failureRateThreshold = failureRateThreshold;
		}

		public int getSlidingWindowSize() {
			return this.slidingWindowSize;
		}

		public void setSlidingWindowSize(int slidingWindowSize) {
			this.slidingWindowSize = slidingWindowSize;
		}

		public Duration getWaitInOpenState() {
			return this.waitInOpenState;
		}

		public void setWaitInOpenState(Duration waitInOpenState) {
			this.waitInOpenState = waitInOpenState;
		}

	}

}
