package dev.recycling.analytics.autoconfigure;

import dev.recycling.autoconfigure.RecyclingAutoConfiguration;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.annotation.ImportCandidates;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link AnalyticsFlushAutoConfiguration}.
 */
class AnalyticsFlushAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner().withConfiguration(
			AutoConfigurations.of(RecyclingAutoConfiguration.class, AnalyticsFlushAutoConfiguration.class));

	@Test
	void autoConfigurationIsRegisteredInImportsFile() {
		ImportCandidates candidates = ImportCandidates.load(AutoConfiguration.class, getClass().getClassLoader());
		assertThat(candidates.getCandidates()).contains(AnalyticsFlushAutoConfiguration.class.getName());
	}

	@Test
	void autoConfigurationIsActiveByDefault() {
		this.contextRunner.run((context) -> assertThat(context).hasSingleBean(AnalyticsFlushAutoConfiguration.class));
	}

	@Test
	void analyticsSwitchTurnsAutoConfigurationOff() {
		this.contextRunner.withPropertyValues("recycling.analytics.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(AnalyticsFlushAutoConfiguration.class));
	}

	@Test
	void masterSwitchTurnsAutoConfigurationOff() {
		this.contextRunner.withPropertyValues("recycling.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(AnalyticsFlushAutoConfiguration.class));
	}

}
