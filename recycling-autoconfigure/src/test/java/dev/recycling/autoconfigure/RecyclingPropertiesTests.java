package dev.recycling.autoconfigure;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for the validation of {@link RecyclingProperties}: every invalid value stops
 * start-up with a message naming the property, the value and the fix.
 */
class RecyclingPropertiesTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(RecyclingAutoConfiguration.class));

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|', textBlock = """
			recycling.max-requests=-1                                      | recycling.max-requests         | -1    | positive number of requests
			recycling.max-requests-jitter=-5,recycling.max-requests=10     | recycling.max-requests-jitter  | -5    | positive number of requests
			recycling.max-requests-jitter=5                                | recycling.max-requests-jitter  | 5     | set recycling.max-requests too
			recycling.max-requests=9223372036854775000,recycling.max-requests-jitter=1000 | recycling.max-requests | 9223372036854775000 | must fit in a long
			recycling.max-lifetime=-1s                                     | recycling.max-lifetime         | PT-1S | positive duration
			recycling.max-lifetime=0s                                      | recycling.max-lifetime         | PT0S  | positive duration
			recycling.max-lifetime-jitter=10m                              | recycling.max-lifetime-jitter  | PT10M | set recycling.max-lifetime too
			recycling.max-lifetime=1h,recycling.max-lifetime-jitter=-1m    | recycling.max-lifetime-jitter  | PT-1M | positive duration
			recycling.min-lifetime=-1s                                     | recycling.min-lifetime         | PT-1S | zero or a positive duration
			recycling.min-lifetime=2h,recycling.max-lifetime=1h            | recycling.min-lifetime         | PT2H  | must not exceed recycling.max-lifetime
			recycling.exit-code=256                                        | recycling.exit-code            | 256   | between 0 and 255
			recycling.exit-code=-1                                         | recycling.exit-code            | -1    | between 0 and 255
			recycling.drain.quiet-period=-1s                               | recycling.drain.quiet-period   | PT-1S | zero or a positive duration
			recycling.drain.timeout=0s                                     | recycling.drain.timeout        | PT0S  | positive duration
			recycling.drain.timeout=1s,recycling.drain.quiet-period=5s     | recycling.drain.timeout        | PT1S  | at least recycling.drain.quiet-period
			recycling.drain.probe-window=0s                                | recycling.drain.probe-window   | PT0S  | longer than the readiness probe period
			recycling.drain.readiness-path=ready                           | recycling.drain.readiness-path | ready | starting with '/'
			recycling.restart.overlap-heap-threshold=0                     | recycling.restart.overlap-heap-threshold | 0.0 | above 0 and at most 100
			recycling.restart.overlap-heap-threshold=150                   | recycling.restart.overlap-heap-threshold | 150.0 | strategy=sequential to never overlap
			recycling.restart.retry-backoff=0s                             | recycling.restart.retry-backoff | PT0S | positive duration
			recycling.restart.retry-backoff=1m,recycling.restart.max-retry-backoff=30s | recycling.restart.max-retry-backoff | PT30S | at least recycling.restart.retry-backoff
			recycling.fleet.max-concurrent-recycles=0                      | recycling.fleet.max-concurrent-recycles | 0 | or unset to switch the recycle budget off
			recycling.fleet.max-concurrent-recycles=101                    | recycling.fleet.max-concurrent-recycles | 101 | between 1 and 100
			recycling.fleet.max-concurrent-recycles=1,recycling.fleet.lease=500ms | recycling.fleet.lease   | PT0.5S | longer than a recycle takes
			recycling.fleet.max-concurrent-recycles=1,recycling.fleet.max-wait=-1s | recycling.fleet.max-wait | PT-1S | zero or a positive duration
			recycling.fleet.max-concurrent-recycles=1,recycling.fleet.table=leases;drop | recycling.fleet.table | leases;drop | plain table name
			""")
	void invalidValueStopsStartupNamingPropertyValueAndFix(String properties, String property, String value,
			String fix) {
		this.contextRunner.withPropertyValues(properties.split(",")).run((context) -> {
			assertThat(context).hasFailed();
			Throwable cause = context.getStartupFailure();
			while (cause != null && !(cause instanceof InvalidConfigurationPropertyValueException)) {
				cause = cause.getCause();
			}
			assertThat(cause).isInstanceOf(InvalidConfigurationPropertyValueException.class);
			InvalidConfigurationPropertyValueException invalid = (InvalidConfigurationPropertyValueException) cause;
			assertThat(invalid.getName()).isEqualTo(property);
			assertThat(String.valueOf(invalid.getValue())).isEqualTo(value);
			assertThat(invalid.getReason()).contains(fix);
		});
	}

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|', textBlock = """
			recycling.max-requests=0
			recycling.max-requests=1000,recycling.max-requests-jitter=0
			recycling.max-requests=1000,recycling.max-requests-jitter=200
			recycling.max-lifetime=6h,recycling.max-lifetime-jitter=30m,recycling.min-lifetime=1m
			recycling.mode=exit,recycling.exit-code=0
			recycling.mode=exit,recycling.exit-code=255
			recycling.drain.enabled=false
			recycling.drain.quiet-period=0s,recycling.drain.timeout=1s,recycling.drain.readiness-path=/readyz
			recycling.restart.strategy=sequential
			recycling.restart.strategy=overlap,recycling.restart.overlap-heap-threshold=100,recycling.restart.retry-backoff=1s
			recycling.fleet.max-concurrent-recycles=2,recycling.fleet.name=orders,recycling.fleet.lease=2m,recycling.fleet.max-wait=0s
			""")
	void validValuesStart(String properties) {
		this.contextRunner.withPropertyValues(properties.split(","))
			.run((context) -> assertThat(context).hasNotFailed().hasSingleBean(RecyclingProperties.class));
	}

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|', textBlock = """
			recycling.mode=restart
			recycling.restart.strategy=parallel
			recycling.max-requests=many
			recycling.max-lifetime=forever
			""")
	void unconvertibleValueStopsStartup(String properties) {
		this.contextRunner.withPropertyValues(properties)
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.hasStackTraceContaining(properties.substring(0, properties.indexOf('='))));
	}

}
