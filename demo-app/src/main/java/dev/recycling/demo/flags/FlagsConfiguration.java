package dev.recycling.demo.flags;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wires the flags API.
 */
@Configuration(proxyBeanMethods = false)
class FlagsConfiguration {

	@Bean
	FlagCatalog flagCatalog() {
		return new FlagCatalog();
	}

}
