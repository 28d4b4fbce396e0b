package dev.recycling.autoconfigure;

import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.reactor.netty.NettyReactiveWebServerFactory;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link RecyclingAutoConfiguration} in a reactive web application, where the
 * listening socket is not held and requests are not counted yet: what would not work stops
 * start-up, naming the property to change.
 */
class RecyclingReactiveServerTests {

	private final ReactiveWebApplicationContextRunner contextRunner = new ReactiveWebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(RecyclingAutoConfiguration.class));

	@Test
	void inProcessRecyclingOnAServerWhoseSocketIsNotHeldIsRefusedWithThePropertyToChange() {
		this.contextRunner.withPropertyValues("recycling.max-lifetime=6h").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure())
				.isInstanceOf(InvalidConfigurationPropertyValueException.class)
				.hasMessageContaining("recycling.mode")
				.hasMessageContaining("Reactor Netty")
				.hasMessageContaining("recycling.mode=exit");
		});
	}

	@Test
	void inProcessRecyclingOnReactorNettyStarts() {
		this.contextRunner.withBean(NettyReactiveWebServerFactory.class, NettyReactiveWebServerFactory::new)
			.withPropertyValues("recycling.max-lifetime=6h", "recycling.max-requests=1000")
			.run((context) -> assertThat(context).hasNotFailed());
	}

	@Test
	void inProcessRecyclingOnASubclassOfReactorNettysFactoryStarts() {
		this.contextRunner.withBean(NettyReactiveWebServerFactory.class, () -> new NettyReactiveWebServerFactory() {
		}).run((context) -> assertThat(context).hasNotFailed());
	}

	@Test
	void exitModeWithLifetimeAndMemoryLimitsStarts() {
		this.contextRunner
			.withPropertyValues("recycling.mode=exit", "recycling.max-lifetime=6h",
					"recycling.memory.heap-after-gc-threshold=80")
			.run((context) -> assertThat(context).hasNotFailed());
	}

	@Test
	void switchedOffStarts() {
		this.contextRunner.withPropertyValues("recycling.enabled=false")
			.run((context) -> assertThat(context).hasNotFailed());
	}

	@Test
	void servletApplicationsAreNotChecked() {
		new WebApplicationContextRunner().withConfiguration(AutoConfigurations.of(RecyclingAutoConfiguration.class))
			.withPropertyValues("recycling.max-requests=1000")
			.run((context) -> assertThat(context).hasNotFailed());
	}

}
