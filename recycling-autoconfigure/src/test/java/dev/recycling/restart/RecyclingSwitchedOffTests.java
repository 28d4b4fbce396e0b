package dev.recycling.restart;

import dev.recycling.testapp.TestApplication;
import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With {@code recycling.enabled=false} an application whose beans inject their
 * {@link Generation} (the test application's runner does, as the README shows for a
 * scheduled job) still starts: its context has the only generation, always current, never
 * recycled.
 */
class RecyclingSwitchedOffTests {

	@Test
	void anApplicationThatInjectsItsGenerationStartsWithTheOnlyGeneration() {
		SpringApplication application = new SpringApplication(TestApplication.class);
		try (ConfigurableApplicationContext context = application.run("--server.port=0",
				"--spring.main.banner-mode=off", "--spring.jmx.enabled=false",
				"--management.metrics.use-global-registry=false", "--recycling.enabled=false")) {
			assertThat(context.getBeansOfType(Recycler.class)).isEmpty();
			Generation generation = context.getBean(Generation.class);
			assertThat(generation.number()).isOne();
			assertThat(generation.isCurrent()).isTrue();
			assertThat(generation.requestRecycle("manual")).isFalse();
			assertThat(generation.isOverlapping()).isFalse();
			assertThat(context.isActive()).as("not recycled").isTrue();
		}
	}

}
