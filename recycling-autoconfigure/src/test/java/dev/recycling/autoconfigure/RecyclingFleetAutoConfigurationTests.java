package dev.recycling.autoconfigure;

import java.util.UUID;

import javax.sql.DataSource;

import dev.recycling.fleet.FleetBudget;
import dev.recycling.fleet.FleetMembership;
import dev.recycling.metrics.FleetMetrics;
import dev.recycling.restart.Recycler;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link RecyclingFleetAutoConfiguration}.
 */
class RecyclingFleetAutoConfigurationTests {

	private final Recycler recycler = new Recycler(new SpringApplication(Object.class), new String[0], (status) -> {
		throw new IllegalStateException("exit " + status);
	});

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(RecyclingAutoConfiguration.class,
				RecyclingFleetAutoConfiguration.class))
		.withBean(Recycler.class, () -> this.recycler);

	@Test
	void offUnlessConfigured() {
		this.contextRunner.withBean(DataSource.class, RecyclingFleetAutoConfigurationTests::database)
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(FleetBudget.class));
	}

	@Test
	void onWithADataSourceAndAName() {
		this.contextRunner.withBean(DataSource.class, RecyclingFleetAutoConfigurationTests::database)
			.withPropertyValues("recycling.fleet.max-concurrent-recycles=2", "spring.application.name=orders")
			.run((context) -> {
				assertThat(context).hasSingleBean(FleetBudget.class)
					.hasSingleBean(FleetMembership.class)
					.hasSingleBean(FleetMetrics.class);
				FleetBudget.Status status = context.getBean(FleetBudget.class).status();
				assertThat(status.fleet()).isEqualTo("orders");
				assertThat(status.slots()).isEqualTo(2);
				// the budget outlives the context: the next generation gets the same one
				assertThat(this.recycler.shared(FleetBudget.class, () -> null)).isSameAs(context.getBean(FleetBudget.class));
			});
	}

	@Test
	void fleetNameWinsOverTheApplicationName() {
		this.contextRunner.withBean(DataSource.class, RecyclingFleetAutoConfigurationTests::database)
			.withPropertyValues("recycling.fleet.max-concurrent-recycles=1", "spring.application.name=orders",
					"recycling.fleet.name=orders-eu")
			.run((context) -> assertThat(context.getBean(FleetBudget.class).status().fleet()).isEqualTo("orders-eu"));
	}

	@Test
	void withoutANameStartUpStopsNamingTheProperty() {
		this.contextRunner.withBean(DataSource.class, RecyclingFleetAutoConfigurationTests::database)
			.withPropertyValues("recycling.fleet.max-concurrent-recycles=1")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.isInstanceOf(InvalidConfigurationPropertyValueException.class)
				.hasMessageContaining("recycling.fleet.name")
				.hasMessageContaining("spring.application.name"));
	}

	@Test
	void withoutADataSourceStartUpStopsNamingTheProperty() {
		this.contextRunner.withPropertyValues("recycling.fleet.max-concurrent-recycles=1", "spring.application.name=orders")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.isInstanceOf(InvalidConfigurationPropertyValueException.class)
				.hasMessageContaining("recycling.fleet.max-concurrent-recycles")
				.hasMessageContaining("spring.datasource"));
	}

	private static DataSource database() {
		JdbcDataSource dataSource = new JdbcDataSource();
		dataSource.setURL("jdbc:h2:mem:fleet-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
		return dataSource;
	}

}
