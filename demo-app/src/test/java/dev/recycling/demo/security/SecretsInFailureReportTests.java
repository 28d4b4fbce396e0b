package dev.recycling.demo.security;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.recycling.demo.DemoApplication;
import dev.recycling.testapp.ChildJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real start-up failure of the demo in a child JVM, with the operator's password in the
 * environment: nothing the process prints, from the first line to the failure report,
 * holds a secret's value.
 */
class SecretsInFailureReportTests {

	private static final String REAL_PASSWORD = "the-real-operator-secret-4711";

	@TempDir
	Path spill;

	@Test
	void aRejectedPasswordIsNamedWithWhereItIsSetButNeitherValueIsShown() throws Exception {
		String rejected = "shrt-4711";
		String output = failedStart("--demo.operator.password=" + rejected);
		assertThat(output).contains("demo.operator.password")
			.contains("at least 12 characters")
			.contains("the value is a secret and is not shown")
			.contains("systemEnvironment")
			.doesNotContain(REAL_PASSWORD)
			.doesNotContain(rejected);
	}

	@Test
	void anotherBadPropertyDoesNotShowThePasswordEither() throws Exception {
		String output = failedStart("--recycling.drain.timeout=soon");
		assertThat(output).contains("recycling.drain.timeout").contains("'soon'").doesNotContain(REAL_PASSWORD);
	}

	private String failedStart(String... args) throws Exception {
		List<String> all = new ArrayList<>(List.of("--spring.datasource.url=jdbc:h2:mem:secrets",
				"--recycling.analytics.spill-directory=" + this.spill, "--logging.level.root=DEBUG"));
		all.addAll(List.of(args));
		try (ChildJvm child = ChildJvm.startMain(Map.of("DEMO_OPERATOR_PASSWORD", REAL_PASSWORD), List.of("-Xmx256m"),
				DemoApplication.class.getName(), all.toArray(String[]::new))) {
			assertThat(child.awaitExit(Duration.ofSeconds(90))).as(child.output()).isNotZero();
			assertThat(child.output()).contains("APPLICATION FAILED TO START");
			return child.output();
		}
	}

}
