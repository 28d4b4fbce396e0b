package dev.recycling.autoconfigure;

import dev.recycling.actuate.BarePostFilter;
import dev.recycling.actuate.BarePostWebFilter;
import dev.recycling.actuate.RecyclingEndpoint;
import dev.recycling.actuate.RecyclingHealthIndicator;
import dev.recycling.fleet.FleetBudget;
import dev.recycling.restart.Recycler;
import jakarta.servlet.Filter;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.PropertiesEndpointAccessResolver;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.EndpointId;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionMessage;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication.Type;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.MergedAnnotation;
import org.springframework.core.annotation.MergedAnnotations;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.web.server.WebFilter;

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
		RecyclingEndpoint recyclingEndpoint(Recycler recycler, RecyclingProperties properties,
				ObjectProvider<FleetBudget> fleetBudget) {
			FleetBudget budget = fleetBudget.getIfAvailable();
			return new RecyclingEndpoint(recycler, properties.getMode(), properties.getDrain().getTimeout(),
					(budget != null) ? budget::status : null);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass({ ConditionalOnAvailableEndpoint.class, Filter.class })
	@ConditionalOnWebApplication(type = Type.SERVLET)
	static class BarePostConfiguration {

		// a bare POST, as Spring Boot's shutdown endpoint takes, would otherwise be a 415
		@Bean
		@ConditionalOnAvailableEndpoint(RecyclingEndpoint.class)
		@Conditional(OnWriteAccessCondition.class)
		FilterRegistrationBean<BarePostFilter> recyclingBarePostFilter(Environment environment) {
			String endpointPath = endpointPath(environment);
			FilterRegistrationBean<BarePostFilter> registration = new FilterRegistrationBean<>(
					new BarePostFilter(endpointPath));
			registration.setName("recyclingBarePostFilter");
			// only in the endpoint's filter chain, not in every request's
			registration.addUrlPatterns(endpointPath, endpointPath + "/");
			registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 30);
			return registration;
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass({ ConditionalOnAvailableEndpoint.class, WebFilter.class, Mono.class })
	@ConditionalOnWebApplication(type = Type.REACTIVE)
	static class ReactiveBarePostConfiguration {

		// as on the servlet side: curl -X POST .../actuator/recycling (in every exchange's chain)
		@Bean
		@ConditionalOnAvailableEndpoint(RecyclingEndpoint.class)
		@Conditional(OnWriteAccessCondition.class)
		@Order(Ordered.HIGHEST_PRECEDENCE + 30)
		BarePostWebFilter recyclingBarePostWebFilter(Environment environment) {
			return new BarePostWebFilter(endpointPath(environment));
		}

	}

	/**
	 * Matches when the endpoint's write operation is opted in (its access resolves to
	 * {@code unrestricted}). Without it a bare {@code POST} is refused as any {@code POST} is,
	 * with a 405, and the bare-POST filters are not registered: on WebFlux, a filter is one
	 * step more in every exchange's chain.
	 */
	static final class OnWriteAccessCondition extends SpringBootCondition {

		@Override
		public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
			MergedAnnotation<Endpoint> endpoint = MergedAnnotations.from(RecyclingEndpoint.class).get(Endpoint.class);
			Access access = new PropertiesEndpointAccessResolver(context.getEnvironment())
				.accessFor(EndpointId.of(endpoint.getString("id")), endpoint.getEnum("defaultAccess", Access.class));
			ConditionMessage.Builder message = ConditionMessage.forCondition("recycling endpoint write access");
			return (access == Access.UNRESTRICTED) ? ConditionOutcome.match(message.because("access is unrestricted"))
					: ConditionOutcome.noMatch(message.because("access is " + access));
		}

	}

	private static String endpointPath(Environment environment) {
		String basePath = RecyclingAutoConfiguration.actuatorBasePath(environment);
		String path = environment.getProperty("management.endpoints.web.path-mapping.recycling", "recycling");
		return (basePath.endsWith("/") ? basePath : basePath + "/") + path;
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
