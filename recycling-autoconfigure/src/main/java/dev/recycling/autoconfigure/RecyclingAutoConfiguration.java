package dev.recycling.autoconfigure;

import java.util.List;
import java.util.SplittableRandom;

import javax.sql.DataSource;

import dev.recycling.drain.AcceptQueueReader;
import dev.recycling.drain.DrainCoordinator;
import dev.recycling.drain.DrainGate;
import dev.recycling.drain.DrainGate.DrainSettings;
import dev.recycling.drain.RequestActivity;
import dev.recycling.memory.ClassHistogram;
import dev.recycling.memory.CollectionListener;
import dev.recycling.memory.JvmMemoryProbe;
import dev.recycling.memory.MemoryRecorder;
import dev.recycling.memory.MemoryTrigger;
import dev.recycling.drain.ConnectionQuiescer;
import dev.recycling.restart.Generation;
import dev.recycling.restart.GenerationBinding;
import dev.recycling.restart.GenerationSessionScope;
import dev.recycling.restart.InMemoryDatabaseRelease;
import dev.recycling.restart.Recycler;
import dev.recycling.restart.jetty.JettyConnectionQuiescer;
import dev.recycling.restart.jetty.JettyHeldSocketCustomizer;
import dev.recycling.restart.jetty.JettySessionCustomizer;
import dev.recycling.restart.jetty.SharedSessionDataStore;
import dev.recycling.restart.tomcat.TomcatConnectionQuiescer;
import dev.recycling.restart.tomcat.SharedSessions;
import dev.recycling.restart.tomcat.TomcatHeldSocketCustomizer;
import dev.recycling.restart.tomcat.TomcatSessionCustomizer;
import dev.recycling.shutdown.RecyclingShutdownHook;
import dev.recycling.shutdown.ShutdownHookChain;
import dev.recycling.trigger.GenerationLimits;
import dev.recycling.trigger.LimitDrawer;
import dev.recycling.trigger.RecycleTriggers;
import dev.recycling.trigger.RequestCountingFilter;
import dev.recycling.trigger.TriggerCheckScheduler;
import jakarta.servlet.Filter;
import org.apache.catalina.startup.Tomcat;
import org.eclipse.jetty.server.Server;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.config.Scope;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication.Type;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.jdbc.autoconfigure.DataSourceProperties;
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
import org.springframework.web.context.WebApplicationContext;

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

	@Bean
	@ConditionalOnMissingBean
	ShutdownHookChain recyclingShutdownHookChain(ObjectProvider<RecyclingShutdownHook> hooks,
			ObjectProvider<Generation> generation, RecyclingProperties properties) {
		Generation owner = generation.getIfAvailable();
		// without a recycler (a context not started by SpringApplication) it is the only generation
		return new ShutdownHookChain(hooks.orderedStream().toList(), properties.getShutdown().getHookTimeout(),
				() -> (owner != null) ? owner.number() : 1,
				() -> (owner != null) ? owner.endingReason() : Recycler.SHUTDOWN);
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnBean(Recycler.class)
	static class GenerationConfiguration {

		// registered by the recycler's listener; this is for a context it did not see start
		@Bean
		@ConditionalOnMissingBean
		Generation recyclingGeneration(Recycler recycler, ConfigurableApplicationContext context) {
			return recycler.adopt(context);
		}

		@Bean
		@ConditionalOnMissingBean
		RecycleTriggers recycleTriggers(RecyclingProperties properties, Generation generation,
				Environment environment) {
			GenerationLimits limits = new LimitDrawer(new SplittableRandom()).draw(properties.getMaxRequests(),
					properties.getMaxRequestsJitter(), properties.getMaxLifetime(), properties.getMaxLifetimeJitter());
			// the generation's own requester: a closing generation's triggers never recycle the next one
			RecycleTriggers triggers = new RecycleTriggers(limits, properties.getMinLifetime(), System::nanoTime,
					generation);
			RecyclingProperties.Restart restart = properties.getRestart();
			generation.configure(new Generation.Settings(properties.getMode(), properties.getExitCode(),
					restart.getStrategy(), restart.getOverlapHeapThreshold(), restart.getRetryBackoff(),
					restart.getMaxRetryBackoff(), environment.getProperty("spring.jmx.enabled", Boolean.class, false),
					properties.getHistorySize()), triggers);
			return triggers;
		}

		@Bean
		MemoryRecorder recyclingMemoryRecorder(RecycleTriggers triggers, RecyclingProperties properties,
				Generation generation) {
			RecyclingProperties.Memory memory = properties.getMemory();
			MemoryRecorder recorder = new MemoryRecorder(new JvmMemoryProbe()::snapshot,
					memory.isClassHistogram() ? ClassHistogram::ofThisJvm : null, triggers, memory.getWarmUpRequests(),
					memory.getWarmUp(), System::nanoTime);
			generation.recordMemoryWith(recorder);
			return recorder;
		}

		@Bean
		CollectionListener recyclingCollectionListener(MemoryRecorder recorder) {
			return CollectionListener.register(recorder::collected);
		}

		@Bean
		TriggerCheckScheduler recyclingTriggerCheckScheduler(RecycleTriggers triggers, MemoryRecorder recorder,
				RecyclingProperties properties, Generation generation) {
			RecyclingProperties.Memory memory = properties.getMemory();
			MemoryTrigger trigger = MemoryTrigger.forThisJvm(memory.getHeapAfterGcThreshold(),
					memory.getRssThreshold(), triggers, generation.number() > 1 && !generation.isOverlapping());
			if (trigger != null && generation.isOverlapping()) {
				generation.afterPreviousClosed(trigger::startFromFullCollection);
			}
			List<Runnable> checks = (trigger != null) ? List.of(recorder::check, trigger::check)
					: List.of(recorder::check);
			// the warm-up snapshot at the triggers' pace, so that a generation of a few seconds is judged too
			return new TriggerCheckScheduler(triggers, List.of(recorder::checkWarmUp), checks, memory.getCheckInterval());
		}

		@Bean
		GenerationBinding recyclingGenerationBinding(Recycler recycler, ConfigurableApplicationContext context) {
			return new GenerationBinding(recycler, context);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnBean(Recycler.class)
	@ConditionalOnClass(DataSourceProperties.class)
	@ConditionalOnProperty(name = "recycling.mode", havingValue = "context", matchIfMissing = true)
	static class InMemoryDatabaseConfiguration {

		// once the DataSource is configured: a database with a generated name is this generation's own
		@Bean
		SmartInitializingSingleton recyclingInMemoryDatabaseRelease(ObjectProvider<DataSourceProperties> properties,
				ObjectProvider<DataSource> dataSources, Generation generation) {
			return () -> {
				DataSourceProperties settings = properties.getIfUnique();
				DataSource dataSource = dataSources.getIfUnique();
				if (settings == null || dataSource == null) {
					return;
				}
				InMemoryDatabaseRelease release = InMemoryDatabaseRelease.of(settings.getUrl(),
						settings.isGenerateUniqueName(), settings::determineUrl, dataSource, settings.determineUsername(),
						settings.determinePassword());
				if (release != null) {
					generation.afterClosed(release::release);
				}
			};
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnBean(Recycler.class)
	@ConditionalOnWebApplication(type = Type.SERVLET)
	@ConditionalOnClass({ Filter.class, WebServerApplicationContext.class })
	static class ServletConfiguration {

		@Bean
		RequestActivity recyclingRequestActivity() {
			return new RequestActivity(System::nanoTime);
		}

		@Bean
		DrainCoordinator recyclingDrainCoordinator(ApplicationContext context, RecyclingProperties properties,
				RequestActivity activity, ObjectProvider<ConnectionQuiescer> quiescers, Recycler recycler,
				Generation generation) {
			RecyclingProperties.Drain drain = properties.getDrain();
			DrainGate gate = drain.isEnabled() ? new DrainGate(activity, new AcceptQueueReader(),
					() -> webServerPort(context),
					() -> AvailabilityChangeEvent.publish(context, ReadinessState.REFUSING_TRAFFIC),
					new DrainSettings(drain.getQuietPeriod(), drain.getTimeout(), drain.getProbeWindow()),
					System::nanoTime, (duration) -> Thread.sleep(duration.toMillis())) : null;
			DrainCoordinator coordinator = new DrainCoordinator(context, gate,
					List.copyOf(quiescers.orderedStream().toList()), activity, drain.getTimeout(), drain.getIdleTimeout(),
					recycler.getStatistics()::drainCompleted);
			generation.onRecycleStart(coordinator::recycleStarting);
			generation.onHandOver(coordinator::handOver);
			return coordinator;
		}

		@Bean
		FilterRegistrationBean<RequestCountingFilter> recyclingRequestCountingFilter(RecycleTriggers triggers,
				RequestActivity activity, RecyclingProperties properties, Environment environment) {
			String actuatorBasePath = environment.getProperty("management.endpoints.web.base-path", "/actuator");
			String readinessPath = properties.getDrain().getReadinessPath();
			RequestCountingFilter filter = new RequestCountingFilter(triggers, activity, actuatorBasePath,
					(readinessPath != null) ? readinessPath : actuatorBasePath + "/health/readiness");
			FilterRegistrationBean<RequestCountingFilter> registration = new FilterRegistrationBean<>(filter);
			registration.setName("recyclingRequestCountingFilter");
			registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
			return registration;
		}

		private static int webServerPort(ApplicationContext context) {
			return (context instanceof WebServerApplicationContext webContext && webContext.getWebServer() != null)
					? webContext.getWebServer().getPort() : -1;
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnWebApplication(type = Type.REACTIVE)
	static class ReactiveConfiguration {

		// until the reactive stack holds its socket and counts requests: refuse what would not work
		@Bean
		SmartInitializingSingleton recyclingReactiveServerCheck(RecyclingProperties properties) {
			return properties::validateForReactiveServer;
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnWebApplication(type = Type.SERVLET)
	@ConditionalOnClass(name = "org.springframework.web.context.request.SessionScope")
	@ConditionalOnProperty(name = "recycling.mode", havingValue = "context", matchIfMissing = true)
	@ConditionalOnBooleanProperty(name = "recycling.restart.keep-sessions", matchIfMissing = true)
	static class SessionScopeConfiguration {

		// static: a post-processor is created before the other beans of its configuration
		@Bean
		static BeanFactoryPostProcessor recyclingGenerationSessionScope() {
			return (beanFactory) -> {
				Scope session = beanFactory.getRegisteredScope(WebApplicationContext.SCOPE_SESSION);
				if (session != null && beanFactory.containsSingleton(Generation.BEAN_NAME)) {
					Generation generation = beanFactory.getBean(Generation.BEAN_NAME, Generation.class);
					beanFactory.registerScope(WebApplicationContext.SCOPE_SESSION,
							new GenerationSessionScope(session, generation::number));
				}
			};
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
			return new TomcatHeldSocketCustomizer(recycler.getHeldSockets(), () -> recycler.sharedDirectory("tomcat"),
					"tomcat");
		}

		@Bean
		@ConditionalOnProperty(name = "recycling.mode", havingValue = "context", matchIfMissing = true)
		@ConditionalOnBooleanProperty(name = "recycling.restart.keep-sessions", matchIfMissing = true)
		TomcatSessionCustomizer recyclingTomcatSessionCustomizer(Recycler recycler, Generation generation) {
			return new TomcatSessionCustomizer(recycler.shared(SharedSessions.class, SharedSessions::new),
					() -> isRecycled(generation));
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
			return new JettyHeldSocketCustomizer(recycler.getHeldSockets(), "jetty");
		}

		@Bean
		@ConditionalOnProperty(name = "recycling.mode", havingValue = "context", matchIfMissing = true)
		@ConditionalOnBooleanProperty(name = "recycling.restart.keep-sessions", matchIfMissing = true)
		JettySessionCustomizer recyclingJettySessionCustomizer(Recycler recycler, Generation generation) {
			return new JettySessionCustomizer(
					recycler.shared(SharedSessionDataStore.Sessions.class, SharedSessionDataStore.Sessions::new),
					() -> isRecycled(generation));
		}

	}

	// a generation stopping for a recycle hands its sessions on; one stopping for good does not
	private static boolean isRecycled(Generation generation) {
		return !Recycler.SHUTDOWN.equals(generation.endingReason());
	}

}
