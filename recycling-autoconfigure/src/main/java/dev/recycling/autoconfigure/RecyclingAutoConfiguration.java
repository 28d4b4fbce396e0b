package dev.recycling.autoconfigure;

import java.util.List;
import java.util.SplittableRandom;

import dev.recycling.restart.ConnectionQuiesceLifecycle;
import dev.recycling.restart.ConnectionQuiescer;
import dev.recycling.restart.GenerationBinding;
import dev.recycling.restart.Recycler;
import dev.recycling.restart.jetty.JettyConnectionQuiescer;
import dev.recycling.restart.jetty.JettyHeldSocketCustomizer;
import dev.recycling.restart.tomcat.TomcatConnectionQuiescer;
import dev.recycling.restart.tomcat.TomcatHeldSocketCustomizer;
import dev.recycling.trigger.GenerationLimits;
import dev.recycling.trigger.LimitDrawer;
import dev.recycling.trigger.RecycleTriggers;
import dev.recycling.trigger.RequestCountingFilter;
import dev.recycling.trigger.TriggerCheckScheduler;
import jakarta.servlet.Filter;
import org.apache.catalina.startup.Tomcat;
import org.eclipse.jetty.server.Server;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication.Type;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.jetty.servlet.JettyServletWebServerFactory;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;

/**
 * {@link EnableAutoConfiguration Auto-configuration} for graceful worker recycling.
 * <p>
 * It only wires: the triggers, the restarter and the held sockets are plain classes in
 * their own packages. Switched off as a whole with {@code recycling.enabled=false}. The
 * {@link Recycler} itself is not created here: it outlives contexts, so
 * {@code RecyclerApplicationListener} registers it in each one.
 *
 * @author recycling team
 */
@AutoConfiguration
@ConditionalOnBooleanProperty(name = "recycling.enabled", matchIfMissing = true)
@EnableConfigurationProperties(RecyclingProperties.class)
public final class RecyclingAutoConfiguration {

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnBean(Recycler.class)
	static class GenerationConfiguration {

		@Bean
		@ConditionalOnMissingBean
		RecycleTriggers recycleTriggers(RecyclingProperties properties, Recycler recycler) {
			GenerationLimits limits = new LimitDrawer(new SplittableRandom()).draw(properties.getMaxRequests(),
					properties.getMaxRequestsJitter(), properties.getMaxLifetime(), properties.getMaxLifetimeJitter());
			RecycleTriggers triggers = new RecycleTriggers(limits, properties.getMinLifetime(), System::nanoTime,
					recycler);
			recycler.configure(properties.getMode(), properties.getExitCode(), triggers);
			return triggers;
		}

		@Bean
		TriggerCheckScheduler recyclingTriggerCheckScheduler(RecycleTriggers triggers) {
			return new TriggerCheckScheduler(triggers);
		}

		@Bean
		GenerationBinding recyclingGenerationBinding(Recycler recycler, ConfigurableApplicationContext context) {
			return new GenerationBinding(recycler, context);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnBean(Recycler.class)
	@ConditionalOnWebApplication(type = Type.SERVLET)
	@ConditionalOnClass({ Filter.class, WebServerApplicationContext.class })
	static class ServletConfiguration {

		@Bean
		ConnectionQuiesceLifecycle recyclingConnectionQuiesceLifecycle(ObjectProvider<ConnectionQuiescer> quiescers,
				Recycler recycler) {
			ConnectionQuiesceLifecycle lifecycle = new ConnectionQuiesceLifecycle(
					List.copyOf(quiescers.orderedStream().toList()), ConnectionQuiesceLifecycle.DEFAULT_TIMEOUT);
			recycler.onRecycleStart(lifecycle::stopAccepting);
			return lifecycle;
		}

		@Bean
		FilterRegistrationBean<RequestCountingFilter> recyclingRequestCountingFilter(RecycleTriggers triggers,
				ConnectionQuiesceLifecycle quiesce, Environment environment) {
			String actuatorBasePath = environment.getProperty("management.endpoints.web.base-path", "/actuator");
			RequestCountingFilter filter = new RequestCountingFilter(triggers, actuatorBasePath, quiesce::isClosing);
			FilterRegistrationBean<RequestCountingFilter> registration = new FilterRegistrationBean<>(filter);
			registration.setName("recyclingRequestCountingFilter");
			registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
			return registration;
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnBean(Recycler.class)
	@ConditionalOnWebApplication(type = Type.SERVLET)
	@ConditionalOnClass({ Tomcat.class, TomcatServletWebServerFactory.class })
	static class TomcatConfiguration {

		@Bean
		TomcatConnectionQuiescer recyclingTomcatConnectionQuiescer(ApplicationContext context) {
			return new TomcatConnectionQuiescer(context);
		}

		@Bean
		@ConditionalOnProperty(name = "recycling.mode", havingValue = "context", matchIfMissing = true)
		TomcatHeldSocketCustomizer recyclingTomcatHeldSocketCustomizer(Recycler recycler) {
			return new TomcatHeldSocketCustomizer(recycler.getHeldSockets());
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnBean(Recycler.class)
	@ConditionalOnWebApplication(type = Type.SERVLET)
	@ConditionalOnClass({ Server.class, JettyServletWebServerFactory.class })
	static class JettyConfiguration {

		@Bean
		JettyConnectionQuiescer recyclingJettyConnectionQuiescer(ApplicationContext context) {
			return new JettyConnectionQuiescer(context);
		}

		@Bean
		@ConditionalOnProperty(name = "recycling.mode", havingValue = "context", matchIfMissing = true)
		JettyHeldSocketCustomizer recyclingJettyHeldSocketCustomizer(Recycler recycler) {
			return new JettyHeldSocketCustomizer(recycler.getHeldSockets());
		}

	}

}
