package dev.recycling.analytics.actuate;

import dev.recycling.analytics.flush.AnalyticsFlusher;
import dev.recycling.analytics.flush.AnalyticsStatistics;
import dev.recycling.analytics.spill.SpillDirectory;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * The {@code analytics} health contributor: {@code DOWN} when the spill directory can no
 * longer take a batch (so the next outage would lose counts), {@code UP} otherwise, with the
 * circuit breaker, the batches that wait and what was lost as details.
 * <p>
 * It is not part of the readiness group: an instance that cannot spill still serves.
 *
 * @author recycling team
 */
public class AnalyticsHealthIndicator implements HealthIndicator {

	private final AnalyticsFlusher flusher;

	private final SpillDirectory spill;

	private final CircuitBreaker circuitBreaker;

	private final AnalyticsStatistics statistics;

	/**
	 * Create the indicator.
	 * @param flusher the flusher
	 * @param spill the spill directory
	 * @param circuitBreaker the flush's circuit breaker
	 * @param statistics the flush statistics of this JVM
	 */
	public AnalyticsHealthIndicator(AnalyticsFlusher flusher, SpillDirectory spill, CircuitBreaker circuitBreaker,
			AnalyticsStatistics statistics) {
		this.flusher = flusher;
		this.spill = spill;
		this.circuitBreaker = circuitBreaker;
		this.statistics = statistics;
	}

	@Override
	public Health health() {
		String unusable = this.spill.checkWritable();
		Health.Builder builder = (unusable != null) ? Health.down().withDetail("spillDirectory", unusable)
				: Health.up().withDetail("spillDirectory", this.spill.directory().toString());
		return builder.withDetail("circuitBreaker", this.circuitBreaker.getState().name())
			.withDetail("pendingBatches", this.flusher.pendingInMemory())
			.withDetail("spilledBatches", this.spill.count())
			.withDetail("quarantinedFiles", this.spill.quarantinedCount())
			.withDetail("batchesLost", this.statistics.batchesLost())
			.withDetail("countsLost", this.statistics.countsLost())
			.build();
	}

}
