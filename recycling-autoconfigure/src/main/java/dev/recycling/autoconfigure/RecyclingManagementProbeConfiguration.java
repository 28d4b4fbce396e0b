package dev.recycling.autoconfigure;

import dev.recycling.drain.RequestActivity;
import dev.recycling.trigger.RecycleTriggers;
import dev.recycling.trigger.RequestCountingFilter;
import jakarta.servlet.Filter;

import org.springframework.boot.actuate.autoconfigure.web.ManagementContextConfiguration;
import org.springframework.boot.actuate.autoconfigure.web.ManagementContextType;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication.Type;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;

/**
 * The management server on its own port ({@code management.server.port}) is where a load
 * balancer's readiness probes come: the drain gate must see them there, or it takes the
 * generation for unwatched and does not wait for the load balancer. In the child context
 * Spring Boot creates for a servlet management server, the parent's filters are not
 * registered; this registers one that records the generation's readiness probes and asks
 * clients to close their connections while the generation closes, and counts nothing (no
 * application request comes to this port). On WebFlux the request counting handler of the
 * parent decorates the management server's handler too.
 *
 * @author recycling team
 */
@ManagementContextConfiguration(value = ManagementContextType.CHILD, proxyBeanMethods = false)
@ConditionalOnBooleanProperty(name = "recycling.enabled", matchIfMissing = true)
@ConditionalOnWebApplication(type = Type.SERVLET)
@ConditionalOnClass(Filter.class)
final class RecyclingManagementProbeConfiguration {

	@Bean
	@ConditionalOnBean({ RecycleTriggers.class, RequestActivity.class })
	FilterRegistrationBean<RequestCountingFilter> recyclingManagementProbeFilter(RecycleTriggers triggers,
			RequestActivity activity, RecyclingProperties properties, Environment environment) {
		String readinessPath = RecyclingAutoConfiguration.readinessPath(properties,
				RecyclingAutoConfiguration.actuatorBasePath(environment));
		// every path starts with "/": nothing is an application request
		RequestCountingFilter filter = new RequestCountingFilter(triggers, activity, "/", readinessPath);
		FilterRegistrationBean<RequestCountingFilter> registration = new FilterRegistrationBean<>(filter);
		registration.setName("recyclingManagementProbeFilter");
		registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
		return registration;
	}

}
