package dev.recycling.autoconfigure;

import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.annotation.ImportCandidates;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link RecyclingAutoConfiguration}.
 */
class RecyclingAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(RecyclingAutoConfiguration.class));

	@Test
	void autoConfigurationIsRegisteredInImportsFile() {
		ImportCandidates candidates = ImportCandidates.load(AutoConfiguration.class, getClass().getClassLoader());
		assertThat(candidates.getCandidates()).contains(RecyclingAutoConfiguration.class.getName());
	}

	@Test
	void autoConfigurationIsActiveByDefault() {
		this.contextRunner.run((context) -> assertThat(context).hasSingleBean(RecyclingAutoConfiguration.class));
	}

	@Test
	void autoConfigurationIsActiveWhenExplicitlyEnabled() {
		this.contextRunner.withPropertyValues("recycling.enabled=true")
			.run((context) -> assertThat(context).hasSingleBean(RecyclingAutoConfiguration.class));
	}

	@Test
	void masterSwitchTurnsAutoConfigurationOff() {
		this.contextRunner.withPropertyValues("recycling.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(RecyclingAutoConfiguration.class));
	}

}
