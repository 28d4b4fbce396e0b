package dev.recycling.autoconfigure;

import java.time.Duration;
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
import dev.recycling.restart.netty.NettyConnectionQuiescer;
import dev.recycling.restart.netty.NettyHeldSocketCustomizer;
import dev.recycling.restart.netty.SharedReactorResources;
import dev.recycling.restart.netty.SharedWebSessions;
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
import dev.recycling.trigger.RequestCountingHttpHandler;
import dev.recycling.trigger.TriggerCheckScheduler;
import jakarta.servlet.Filter;
import org.apache.catalina.startup.Tomcat;
import org.eclipse.jetty.server.Server;
import org.jspecify.annotations.Nullable;
import reactor.netty.http.server.HttpServer;
import reactor.netty.resources.LoopResources;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.config.BeanPostProcessor;
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
import org.springframework.boot.reactor.netty.NettyReactiveWebServerFactory;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.boot.web.server.reactive.ReactiveWebServerFactory;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.Environment;
import org.springframework.http.client.ReactorResourceFactory;
import org.springframework.http.server.reactive.HttpHandler;
import org.springframework.http.server.reactive.HttpHandlerDecoratorFactory;
import org.springframework.web.context.WebApplicationContext;
import org.springframework.web.server.adapter.HttpWebHandlerAdapter;

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
// before the web server's and the reactive HTTP clients' auto-configuration: the recycle's ReactorResourceFactory
@AutoConfiguration(beforeName = { "org.springframework.boot.reactor.netty.autoconfigure.NettyReactiveWebServerAutoConfiguration",
		"org.springframework.boot.http.client.autoconfigure.reactive.ReactiveHttpClientAutoConfiguration" })
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

	// the drain and its traffic record: the same on both web stacks
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnBean(Recycler.class)
	@ConditionalOnWebApplication
	@ConditionalOnClass(WebServerApplicationContext.class)
	static class WebServerConfiguration {

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

		private static int webServerPort(ApplicationContext context) {
			return (context instanceof WebServerApplicationContext webContext && webContext.getWebServer() != null)
					? webContext.getWebServer().getPort() : -1;
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnBean(Recycler.class)
	@ConditionalOnWebApplication(type = Type.SERVLET)
	@ConditionalOnClass({ Filter.class, WebServerApplicationContext.class })
	static class ServletConfiguration {

		@Bean
		FilterRegistrationBean<RequestCountingFilter> recyclingRequestCountingFilter(RecycleTriggers triggers,
				RequestActivity activity, RecyclingProperties properties, Environment environment) {
			RequestCountingFilter filter = new RequestCountingFilter(triggers, activity,
					actuatorPathsOnApplicationPort(environment),
					readinessPath(properties, actuatorBasePath(environment)));
			FilterRegistrationBean<RequestCountingFilter> registration = new FilterRegistrationBean<>(filter);
			registration.setName("recyclingRequestCountingFilter");
			registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
			return registration;
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnWebApplication(type = Type.REACTIVE)
	static class ReactiveConfiguration {

		// a reactive server whose socket the recycle cannot hold: refuse what would refuse connections
		@Bean
		SmartInitializingSingleton recyclingReactiveServerCheck(RecyclingProperties properties,
				ObjectProvider<ReactiveWebServerFactory> serverFactory) {
			return () -> properties.validateForReactiveServer(holdsSocket(serverFactory.getIfUnique()));
		}

		// by name: the reactive stack may run on another server, without Reactor Netty's classes
		private static boolean holdsSocket(@Nullable Object factory) {
			for (Class<?> type = (factory != null) ? factory.getClass() : null; type != null; type = type.getSuperclass()) {
				if (type.getName().equals("org.springframework.boot.reactor.netty.NettyReactiveWebServerFactory")) {
					return true;
				}
			}
			return false;
		}

		// around the filters: the application's chain holds no filter of the starter's for it
		@Bean
		@ConditionalOnBean(Recycler.class)
		@Order(Ordered.HIGHEST_PRECEDENCE + 10)
		HttpHandlerDecoratorFactory recyclingRequestCountingHttpHandler(RecycleTriggers triggers,
				RequestActivity activity, RecyclingProperties properties, Environment environment,
				ApplicationContext context) {
			String actuatorPaths = actuatorPathsOnApplicationPort(environment);
			String readinessPath = readinessPath(properties, actuatorBasePath(environment));
			// every path starts with "/": nothing on the management server's port is an application request
			return (handler) -> new RequestCountingHttpHandler(handler, triggers, activity,
					isManagementChild(handler, context) ? "/" : actuatorPaths, readinessPath);
		}

		// the management server on its own port builds its handler in a child context, with the
		// decorators of the parent's too; it records the readiness probes that come to it
		private static boolean isManagementChild(HttpHandler handler, ApplicationContext context) {
			return handler instanceof HttpWebHandlerAdapter adapter && adapter.getApplicationContext() != null
					&& adapter.getApplicationContext() != context;
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnBean(Recycler.class)
	@ConditionalOnWebApplication(type = Type.REACTIVE)
	@ConditionalOnClass({ HttpServer.class, NettyReactiveWebServerFactory.class })
	@ConditionalOnProperty(name = "recycling.mode", havingValue = "context", matchIfMissing = true)
	static class NettyConfiguration {

		// before Spring Boot's: a factory over the global resources would dispose them as each generation closes
		@Bean
		@ConditionalOnMissingBean
		ReactorResourceFactory recyclingReactorResourceFactory(Recycler recycler) {
			return SharedReactorResources.of(recycler).newFactory();
		}

		// the shared loops end with the JVM's last generation, not with a recycled or a failed one
		@Bean
		DisposableBean recyclingSharedReactorResourcesRelease(Recycler recycler, Generation generation,
				ConfigurableApplicationContext context, Environment environment) {
			SharedReactorResources shared = SharedReactorResources.of(recycler);
			Duration quietPeriod = environment.getProperty("spring.reactor.netty.shutdown-quiet-period", Duration.class,
					Duration.ofSeconds(LoopResources.DEFAULT_SHUTDOWN_QUIET_PERIOD));
			return () -> {
				ConfigurableApplicationContext current = recycler.getContext();
				if (!isRecycled(generation) && (current == null || current == context)) {
					shared.dispose(quietPeriod, Duration.ofSeconds(LoopResources.DEFAULT_SHUTDOWN_TIMEOUT));
				}
			};
		}

		@Bean
		NettyHeldSocketCustomizer recyclingNettyHeldSocketCustomizer(Recycler recycler) {
			SharedReactorResources shared = SharedReactorResources.of(recycler);
			return new NettyHeldSocketCustomizer(recycler.getHeldSockets(), shared::loops, "netty");
		}

		@Bean
		NettyConnectionQuiescer recyclingNettyConnectionQuiescer(NettyHeldSocketCustomizer customizer) {
			return new NettyConnectionQuiescer(customizer);
		}

	}

	static String actuatorBasePath(Environment environment) {
		return environment.getProperty("management.endpoints.web.base-path", "/actuator");
	}

	// the prefix of the actuator's paths on the application's port, or "" (none) when the actuator
	// has a port of its own (Spring Boot's rule: management.server.port set, and 0 or not
	// server.port) or none; its base path may then be "/", which every path starts with
	static String actuatorPathsOnApplicationPort(Environment environment) {
		Integer managementPort = environment.getProperty("management.server.port", Integer.class);
		if (managementPort == null) {
			return actuatorBasePath(environment);
		}
		int serverPort = environment.getProperty("server.port", Integer.class, 8080);
		return (managementPort > 0 && managementPort == serverPort) ? actuatorBasePath(environment) : "";
	}

	// a base path of "/" (allowed with the actuator on its own port) puts probes at /health/readiness
	static String readinessPath(RecyclingProperties properties, String actuatorBasePath) {
		String readinessPath = properties.getDrain().getReadinessPath();
		if (readinessPath != null) {
			return readinessPath;
		}
		return (actuatorBasePath.endsWith("/") ? actuatorBasePath.substring(0, actuatorBasePath.length() - 1)
				: actuatorBasePath) + "/health/readiness";
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
	@ConditionalOnWebApplication(type = Type.REACTIVE)
	@ConditionalOnClass(name = "org.springframework.web.server.session.DefaultWebSessionManager")
	@ConditionalOnProperty(name = "recycling.mode", havingValue = "context", matchIfMissing = true)
	@ConditionalOnBooleanProperty(name = "recycling.restart.keep-sessions", matchIfMissing = true)
	static class WebSessionConfiguration {

		// static: a post-processor is created before the other beans of its configuration
		@Bean
		static BeanPostProcessor recyclingSharedWebSessions(ObjectProvider<Recycler> recycler) {
			return recycler.getObject().shared(SharedWebSessions.class, SharedWebSessions::new).postProcessor();
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
					() -> isRecycled(generation), generation::number);
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
					() -> isRecycled(generation), generation::number);
		}

	}

	// a generation stopping for a recycle hands its sessions on; one stopping for good does not
	private static boolean isRecycled(Generation generation) {
		return !Recycler.SHUTDOWN.equals(generation.endingReason());
	}

}
