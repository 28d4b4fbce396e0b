package dev.recycling.autoconfigure;

import dev.recycling.actuate.RecyclingEndpoint;
import dev.recycling.actuate.RecyclingHealthIndicator;
import dev.recycling.drain.DrainCoordinator;
import dev.recycling.metrics.RecyclingMetrics;
import dev.recycling.restart.Recycler;
import dev.recycling.restart.tomcat.TomcatConnectionQuiescer;
import dev.recycling.restart.tomcat.TomcatHeldSocketCustomizer;
import dev.recycling.restart.tomcat.TomcatSessionCustomizer;
import dev.recycling.trigger.GenerationLimits;
import dev.recycling.trigger.RecycleTriggers;
import dev.recycling.trigger.TriggerCheckScheduler;
import org.apache.catalina.startup.Tomcat;
import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.annotation.ImportCandidates;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.web.servlet.FilterRegistrationBean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link RecyclingAutoConfiguration}.
 */
class RecyclingAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(RecyclingAutoConfiguration.class))
		.withBean(Recycler.class, RecyclingAutoConfigurationTests::recycler);

	private final WebApplicationContextRunner webContextRunner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(RecyclingAutoConfiguration.class))
		.withBean(Recycler.class, RecyclingAutoConfigurationTests::recycler);

	private static Recycler recycler() {
		return new Recycler(new SpringApplication(Object.class), new String[0], (status) -> {
			throw new IllegalStateException("exit " + status);
		});
	}

	@Test
	void autoConfigurationIsRegisteredInImportsFile() {
		ImportCandidates candidates = ImportCandidates.load(AutoConfiguration.class, getClass().getClassLoader());
		assertThat(candidates.getCandidates()).contains(RecyclingAutoConfiguration.class.getName());
	}

	@Test
	void generationBeansAreCreatedByDefault() {
		this.contextRunner.run((context) -> assertThat(context).hasSingleBean(RecyclingProperties.class)
			.hasSingleBean(RecycleTriggers.class)
			.hasSingleBean(TriggerCheckScheduler.class)
			.doesNotHaveBean(FilterRegistrationBean.class));
	}

	@Test
	void endpointHealthAndMetricsAreWiredWhenTheActuatorIsThere() {
		this.contextRunner
			.withConfiguration(AutoConfigurations.of(RecyclingActuatorAutoConfiguration.class,
					RecyclingMetricsAutoConfiguration.class, EndpointAutoConfiguration.class))
			.withPropertyValues("management.endpoints.web.exposure.include=recycling")
			.run((context) -> assertThat(context).hasSingleBean(RecyclingEndpoint.class)
				.hasSingleBean(RecyclingHealthIndicator.class)
				.hasSingleBean(RecyclingMetrics.class));
	}

	@Test
	void theHealthContributorCanBeSwitchedOff() {
		this.contextRunner.withConfiguration(AutoConfigurations.of(RecyclingActuatorAutoConfiguration.class))
			.withPropertyValues("management.health.recycling.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(RecyclingHealthIndicator.class));
	}

	@Test
	void withoutTheActuatorAndMicrometerRecyclingStillWorks() {
		this.contextRunner
			.withConfiguration(AutoConfigurations.of(RecyclingActuatorAutoConfiguration.class,
					RecyclingMetricsAutoConfiguration.class))
			.withClassLoader(new FilteredClassLoader("org.springframework.boot.actuate",
					"org.springframework.boot.health", "io.micrometer"))
			.run((context) -> assertThat(context).hasNotFailed()
				.hasSingleBean(RecycleTriggers.class)
				.doesNotHaveBean(RecyclingEndpoint.class)
				.doesNotHaveBean(RecyclingHealthIndicator.class)
				.doesNotHaveBean(RecyclingMetrics.class));
	}

	@Test
	void drawnLimitsFollowTheProperties() {
		this.contextRunner.withPropertyValues("recycling.max-requests=500", "recycling.max-requests-jitter=50")
			.run((context) -> {
				GenerationLimits limits = context.getBean(RecycleTriggers.class).limits();
				assertThat(limits.maxRequests()).isBetween(500L, 550L);
				assertThat(limits.maxLifetime()).isNull();
			});
	}

	@Test
	void servletApplicationGetsTheRequestCounterAndTheHeldSocket() {
		this.webContextRunner.run((context) -> assertThat(context).hasSingleBean(FilterRegistrationBean.class)
			.hasSingleBean(DrainCoordinator.class)
			.hasSingleBean(TomcatConnectionQuiescer.class)
			.hasSingleBean(TomcatHeldSocketCustomizer.class)
			.hasSingleBean(TomcatSessionCustomizer.class)
			.hasBean("recyclingInMemoryDatabaseRelease")
			.hasBean("recyclingGenerationSessionScope"));
	}

	@Test
	void sessionsAreLeftToTheServerWhenNotKept() {
		this.webContextRunner.withPropertyValues("recycling.restart.keep-sessions=false")
			.run((context) -> assertThat(context).hasSingleBean(TomcatHeldSocketCustomizer.class)
				.doesNotHaveBean(TomcatSessionCustomizer.class));
	}

	@Test
	void exitModeDoesNotHoldTheSocket() {
		this.webContextRunner.withPropertyValues("recycling.mode=exit")
			.run((context) -> assertThat(context).hasSingleBean(TomcatConnectionQuiescer.class)
				.doesNotHaveBean(TomcatHeldSocketCustomizer.class)
				.doesNotHaveBean(TomcatSessionCustomizer.class));
	}

	@Test
	void withoutTomcatNoTomcatBeans() {
		this.webContextRunner.withClassLoader(new FilteredClassLoader(Tomcat.class))
			.run((context) -> assertThat(context).hasSingleBean(FilterRegistrationBean.class)
				.doesNotHaveBean(TomcatConnectionQuiescer.class)
				.doesNotHaveBean(TomcatHeldSocketCustomizer.class));
	}

	@Test
	void withoutSpringBootJdbcOrSpringWebRecyclingStillWorks() {
		this.webContextRunner
			.withClassLoader(new FilteredClassLoader("org.springframework.boot.jdbc",
					"org.springframework.web.context.request"))
			.run((context) -> assertThat(context).hasNotFailed()
				.hasSingleBean(RecycleTriggers.class)
				.hasSingleBean(TomcatSessionCustomizer.class)
				.doesNotHaveBean("recyclingInMemoryDatabaseRelease")
				.doesNotHaveBean("recyclingGenerationSessionScope"));
	}

	@Test
	void withoutRecyclerOnlyThePropertiesAreBound() {
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(RecyclingAutoConfiguration.class))
			.run((context) -> assertThat(context).hasSingleBean(RecyclingProperties.class)
				.doesNotHaveBean(RecycleTriggers.class));
	}

	@Test
	void userTriggersWin() {
		RecycleTriggers own = new RecycleTriggers(GenerationLimits.NONE, java.time.Duration.ZERO, System::nanoTime,
				(reason) -> false);
		this.contextRunner.withBean(RecycleTriggers.class, () -> own)
			.run((context) -> assertThat(context.getBean(RecycleTriggers.class)).isSameAs(own));
	}

	@Test
	void masterSwitchTurnsAutoConfigurationOff() {
		this.webContextRunner.withPropertyValues("recycling.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(RecyclingAutoConfiguration.class)
				.doesNotHaveBean(RecycleTriggers.class)
				.doesNotHaveBean(FilterRegistrationBean.class));
	}

}
