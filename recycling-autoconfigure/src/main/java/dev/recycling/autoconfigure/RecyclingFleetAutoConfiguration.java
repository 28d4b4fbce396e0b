package dev.recycling.autoconfigure;

import javax.sql.DataSource;

import dev.recycling.fleet.FleetBudget;
import dev.recycling.fleet.FleetDataSource;
import dev.recycling.fleet.FleetLeases;
import dev.recycling.fleet.FleetMembership;
import dev.recycling.metrics.FleetMetrics;
import dev.recycling.restart.Recycler;
import io.micrometer.core.instrument.binder.MeterBinder;
import net.javacrumbs.shedlock.provider.jdbctemplate.JdbcTemplateLockProvider;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * {@link EnableAutoConfiguration Auto-configuration} for the fleet's recycle budget, on
 * when {@code recycling.fleet.max-concurrent-recycles} is set. The budget and the data
 * source of its leases outlive generations (the recycler keeps them); each generation
 * lends them its own data source while it runs.
 *
 * @author recycling team
 */
@AutoConfiguration(after = RecyclingAutoConfiguration.class,
		afterName = "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration")
@ConditionalOnBooleanProperty(name = "recycling.enabled", matchIfMissing = true)
@ConditionalOnProperty("recycling.fleet.max-concurrent-recycles")
@ConditionalOnClass({ JdbcTemplateLockProvider.class, DataSource.class })
@ConditionalOnBean(Recycler.class)
public final class RecyclingFleetAutoConfiguration {

	@Bean
	FleetBudget recyclingFleetBudget(Recycler recycler, RecyclingProperties properties, Environment environment) {
		RecyclingProperties.Fleet fleet = properties.getFleet();
		String name = fleet.resolveName(environment.getProperty("spring.application.name"));
		Integer slots = fleet.getMaxConcurrentRecycles();
		FleetDataSource leases = recycler.shared(FleetDataSource.class, FleetDataSource::new);
		// the first generation's settings hold for the JVM: the fleet's leases outlive generations
		return recycler.shared(FleetBudget.class, () -> new FleetBudget(name, (slots != null) ? slots : 1,
				fleet.getLease(), fleet.getMaxWait(), new FleetLeases(leases, fleet.getTable(), fleet.isCreateTable()),
				System::nanoTime));
	}

	@Bean
	FleetMembership recyclingFleetMembership(Recycler recycler, FleetBudget budget,
			ObjectProvider<DataSource> dataSources, RecyclingProperties properties) {
		DataSource dataSource = dataSources.getIfUnique();
		if (dataSource == null) {
			throw new InvalidConfigurationPropertyValueException("recycling.fleet.max-concurrent-recycles",
					properties.getFleet().getMaxConcurrentRecycles(), "The recycle budget keeps its leases in the "
							+ "database the fleet shares, and this application has no single DataSource: configure "
							+ "spring.datasource.*, or unset the property.");
		}
		return new FleetMembership(recycler, budget, recycler.shared(FleetDataSource.class, FleetDataSource::new),
				dataSource);
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(MeterBinder.class)
	static class FleetMetricsConfiguration {

		@Bean
		FleetMetrics recyclingFleetMetrics(FleetBudget budget) {
			return new FleetMetrics(budget);
		}

	}

}
