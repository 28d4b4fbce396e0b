package dev.recycling.analytics.autoconfigure;

import dev.recycling.analytics.actuate.AnalyticsEndpoint;
import dev.recycling.analytics.actuate.AnalyticsHealthIndicator;
import dev.recycling.analytics.cache.ApiUsageCache;
import dev.recycling.analytics.cache.FeatureEvaluationCache;
import dev.recycling.analytics.flush.AnalyticsFlusher;
import dev.recycling.analytics.flush.AnalyticsResilience;
import dev.recycling.analytics.flush.AnalyticsStatistics;
import dev.recycling.analytics.metrics.AnalyticsMetrics;
import dev.recycling.analytics.spill.SpillDirectory;
import io.github.resilience4j.micrometer.tagged.TaggedCircuitBreakerMetrics;
import io.github.resilience4j.micrometer.tagged.TaggedRetryMetrics;
import io.micrometer.core.instrument.binder.MeterBinder;

import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Configuration;

/**
 * {@link EnableAutoConfiguration Auto-configuration} for the {@code analytics} actuator
 * endpoint and the analytics metrics, including the flush's circuit breaker and retry. The
 * endpoint is read-only unless {@code management.endpoint.analytics.access=unrestricted}.
 *
 * @author recycling team
 */
@AutoConfiguration(after = AnalyticsFlushAutoConfiguration.class)
@ConditionalOnBean(AnalyticsFlusher.class)
public final class AnalyticsActuatorAutoConfiguration {

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(ConditionalOnAvailableEndpoint.class)
	static class EndpointConfiguration {

		// on the method: the class condition above must hold before this one can be loaded
		@Bean
		@ConditionalOnAvailableEndpoint(AnalyticsEndpoint.class)
		@ConditionalOnMissingBean
		AnalyticsEndpoint analyticsEndpoint(ApiUsageCache apiUsage, FeatureEvaluationCache featureEvaluations,
				AnalyticsFlusher flusher, AnalyticsStatistics statistics, SpillDirectory spill,
				AnalyticsResilience resilience, AnalyticsProperties properties) {
			return new AnalyticsEndpoint(apiUsage, featureEvaluations, flusher, statistics, spill,
					resilience.circuitBreaker(), properties.getFlushInterval());
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass({ HealthIndicator.class, ConditionalOnEnabledHealthIndicator.class })
	static class HealthConfiguration {

		@Bean
		@ConditionalOnEnabledHealthIndicator("analytics")
		@ConditionalOnMissingBean(name = "analyticsHealthIndicator")
		AnalyticsHealthIndicator analyticsHealthIndicator(AnalyticsFlusher flusher, SpillDirectory spill,
				AnalyticsResilience resilience, AnalyticsStatistics statistics) {
			return new AnalyticsHealthIndicator(flusher, spill, resilience.circuitBreaker(), statistics);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass({ MeterBinder.class, TaggedCircuitBreakerMetrics.class })
	static class MetricsConfiguration {

		@Bean
		@ConditionalOnMissingBean
		AnalyticsMetrics analyticsMetrics(AnalyticsStatistics statistics, AnalyticsFlusher flusher) {
			return new AnalyticsMetrics(statistics, flusher.liveView());
		}

		@Bean
		MeterBinder analyticsCircuitBreakerMetrics(AnalyticsResilience resilience) {
			return TaggedCircuitBreakerMetrics.ofCircuitBreakerRegistry(resilience.circuitBreakers());
		}

		@Bean
		MeterBinder analyticsRetryMetrics(AnalyticsResilience resilience) {
			return TaggedRetryMetrics.ofRetryRegistry(resilience.retries());
		}

	}

}
