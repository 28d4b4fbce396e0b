package dev.recycling.analytics.autoconfigure;

import java.util.UUID;
import java.util.stream.Stream;

import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * Every bad {@code recycling.*} value stops start-up with Spring Boot's failure report:
 * the property, the value and the fix, for values that do not convert and values the
 * properties reject, across recycling, drain, memory and analytics.
 */
@ExtendWith(OutputCaptureExtension.class)
class ConfigurationFailureAnalysisTests {

	static Stream<Arguments> badConfigurations() {
		return Stream.of(
				arguments("recycling.max-requests", "-5", "0 (no request limit) or a positive number", null),
				arguments("recycling.max-requests", "lots", "a whole number", null),
				arguments("recycling.max-requests-jitter", "10", "set recycling.max-requests too", null),
				arguments("recycling.max-lifetime", "0s", "a positive duration such as 6h", null),
				arguments("recycling.min-lifetime", "2h", "must not exceed recycling.max-lifetime",
						"--recycling.max-lifetime=1h"),
				arguments("recycling.mode", "restart", "one of context, exit", null),
				arguments("recycling.exit-code", "300", "between 0 and 255", null),
				arguments("recycling.history-size", "0", "between 1 and 1000", null),
				arguments("recycling.drain.timeout", "1s", "at least recycling.drain.quiet-period",
						"--recycling.drain.quiet-period=5s"),
				arguments("recycling.drain.quiet-period", "soon", "a duration such as 500ms, 20s or 5m", null),
				arguments("recycling.drain.readiness-path", "health", "a path starting with '/'", null),
				arguments("recycling.drain.enabled", "maybe", "true or false", null),
				arguments("recycling.restart.keep-sessions", "maybe", "true or false", null),
				arguments("recycling.memory.heap-after-gc-threshold", "120", "a number above 0 and below 100", null),
				arguments("recycling.memory.rss-threshold", "0MB", "a positive size such as 1GB", null),
				arguments("recycling.memory.rss-threshold", "plenty", "a size such as 768MB or 1GB", null),
				arguments("recycling.memory.check-interval", "1ms", "at least 100ms", null),
				arguments("recycling.memory.warm-up-requests", "-1", "0 (warm at once) or a positive number", null),
				arguments("recycling.analytics.flush-interval", "0s", "a positive duration such as", null),
				arguments("recycling.analytics.max-keys", "-1", "a positive number of keys", null),
				arguments("recycling.analytics.retry.multiplier", "0.5", "1.0 (constant backoff) or more", null),
				arguments("recycling.analytics.processing.applied-batches-retention", "10m",
						"would be applied twice", null),
				arguments("recycling.analytics.processing.housekeeping-interval", "0s", "a positive duration such as",
						null),
				arguments("recycling.analytics.initialize-schema", "sometimes", "one of always, embedded, never",
						null));
	}

	@ParameterizedTest(name = "{0}={1}")
	@MethodSource("badConfigurations")
	void startUpStopsWithTheNameTheValueAndTheFix(String property, String value, String fix, String other,
			CapturedOutput output) {
		SpringApplication application = new SpringApplication(BareApplication.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		String[] args = (other != null) ? new String[] { "--" + property + "=" + value, other }
				: new String[] { "--" + property + "=" + value };
		application.setDefaultProperties(java.util.Map.of("spring.main.banner-mode", "off", "spring.datasource.url",
				"jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "recycling.analytics.processing.enabled",
				"false"));
		assertThatException().isThrownBy(() -> application.run(args).close());
		String report = output.getOut().substring(output.getOut().lastIndexOf("APPLICATION FAILED TO START"));
		String description = report.substring(report.indexOf("Description:"), report.indexOf("Action:"));
		String action = report.substring(report.indexOf("Action:"));
		assertThat(description).contains("'" + property + "'").contains("'" + value + "'");
		assertThat(description).as("where it was set").contains("commandLineArgs");
		assertThat(action).contains("Change " + property).contains(fix);
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class BareApplication {

	}

}
