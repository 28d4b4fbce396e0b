package dev.recycling.demo.flags;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wires the flags API.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ApiProperties.class)
class FlagsConfiguration {

	@Bean
	FlagCatalog flagCatalog() {
		return new FlagCatalog();
	}

}
