package dev.recycling.autoconfigure;

import dev.recycling.actuate.RecyclingEndpoint;
import dev.recycling.actuate.RecyclingHealthIndicator;
import dev.recycling.restart.Recycler;

import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * {@link EnableAutoConfiguration Auto-configuration} for the {@code recycling} actuator
 * endpoint and health contributor. The endpoint is read-only unless
 * {@code management.endpoint.recycling.access=unrestricted}.
 *
 * @author recycling team
 */
@AutoConfiguration(after = RecyclingAutoConfiguration.class)
@ConditionalOnBooleanProperty(name = "recycling.enabled", matchIfMissing = true)
@ConditionalOnBean(Recycler.class)
public final class RecyclingActuatorAutoConfiguration {

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(ConditionalOnAvailableEndpoint.class)
	static class EndpointConfiguration {

		// on the method: the class condition above must hold before this one can be loaded
		@Bean
		@ConditionalOnAvailableEndpoint(RecyclingEndpoint.class)
		@ConditionalOnMissingBean
		RecyclingEndpoint recyclingEndpoint(Recycler recycler, RecyclingProperties properties) {
			return new RecyclingEndpoint(recycler, properties.getMode(), properties.getDrain().getTimeout());
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass({ HealthIndicator.class, ConditionalOnEnabledHealthIndicator.class })
	static class HealthConfiguration {

		@Bean
		@ConditionalOnEnabledHealthIndicator("recycling")
		@ConditionalOnMissingBean(name = "recyclingHealthIndicator")
		RecyclingHealthIndicator recyclingHealthIndicator(Recycler recycler) {
			return new RecyclingHealthIndicator(recycler);
		}

	}

}
