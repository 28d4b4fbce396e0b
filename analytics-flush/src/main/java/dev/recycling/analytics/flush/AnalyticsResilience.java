package dev.recycling.analytics.flush;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.github.resilience4j.retry.RetryRegistry;

/**
 * The circuit breaker of the periodic flush and the retry of the shutdown enqueue, in
 * registries of their own, so that their metrics can be bound without touching an
 * application's own Resilience4j registries.
 *
 * @param circuitBreakers holds {@link #CIRCUIT_BREAKER}
 * @param retries holds {@link #RETRY}
 * @author recycling team
 */
public record AnalyticsResilience(CircuitBreakerRegistry circuitBreakers, RetryRegistry retries) {

	/**
	 * Name of the circuit breaker that guards the queue on periodic, early and manual flushes.
	 */
	public static final String CIRCUIT_BREAKER = "recycling-analytics-flush";

	/**
	 * Name of the retry of the shutdown flush's enqueue.
	 */
	public static final String RETRY = "recycling-analytics-shutdown-enqueue";

	/**
	 * Create the circuit breaker and the retry.
	 * @param circuitBreaker the circuit breaker's configuration
	 * @param retry the retry's configuration
	 * @param startOpen whether the circuit breaker starts open, because the queue was
	 * unreachable when the previous generation last tried it
	 * @return both, in their registries
	 */
	public static AnalyticsResilience of(CircuitBreakerConfig circuitBreaker, RetryConfig retry, boolean startOpen) {
		AnalyticsResilience resilience = new AnalyticsResilience(CircuitBreakerRegistry.ofDefaults(),
				RetryRegistry.ofDefaults());
		resilience.circuitBreakers().circuitBreaker(CIRCUIT_BREAKER, circuitBreaker);
		resilience.retries().retry(RETRY, retry);
		if (startOpen) {
			resilience.circuitBreaker().transitionToOpenState();
		}
		return resilience;
	}

	/**
	 * Return the circuit breaker.
	 * @return the circuit breaker
	 */
	public CircuitBreaker circuitBreaker() {
		return this.circuitBreakers.circuitBreaker(CIRCUIT_BREAKER);
	}

	/**
	 * Return the retry.
	 * @return the retry
	 */
	public Retry retry() {
		return this.retries.retry(RETRY);
	}

}
