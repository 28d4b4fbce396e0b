package dev.recycling.autoconfigure;

import dev.recycling.metrics.RecyclingMetrics;
import dev.recycling.restart.Recycler;
import io.micrometer.core.instrument.binder.MeterBinder;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * {@link EnableAutoConfiguration Auto-configuration} for the recycling metrics, bound to
 * every meter registry Spring Boot configures.
 *
 * @author recycling team
 */
@AutoConfiguration(after = RecyclingAutoConfiguration.class)
@ConditionalOnBooleanProperty(name = "recycling.enabled", matchIfMissing = true)
@ConditionalOnClass(MeterBinder.class)
@ConditionalOnBean(Recycler.class)
public final class RecyclingMetricsAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	RecyclingMetrics recyclingMetrics(Recycler recycler) {
		return new RecyclingMetrics(recycler);
	}

}
