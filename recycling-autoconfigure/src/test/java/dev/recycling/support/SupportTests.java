package dev.recycling.support;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link SecretNames} and {@link Durations}.
 */
class SupportTests {

	@Test
	void namesThatSaySecretAreSecretInEveryForm() {
		assertThat(SecretNames.isSecret("demo.operator.password")).isTrue();
		assertThat(SecretNames.isSecret("DEMO_OPERATOR_PASSWORD")).isTrue();
		assertThat(SecretNames.isSecret("spring.datasource.password")).isTrue();
		assertThat(SecretNames.isSecret("app.api-key")).isTrue();
		assertThat(SecretNames.isSecret("app.apiKey")).isTrue();
		assertThat(SecretNames.isSecret("client.accessToken")).isTrue();
		assertThat(SecretNames.isSecret("oauth.client-secret")).isTrue();
		assertThat(SecretNames.isSecret("cloud.credentials[0].value")).isTrue();
	}

	@Test
	void namesThatMerelyContainAWordAreNot() {
		assertThat(SecretNames.isSecret("recycling.analytics.max-keys")).isFalse();
		assertThat(SecretNames.isSecret("recycling.drain.timeout")).isFalse();
		assertThat(SecretNames.isSecret("server.port")).isFalse();
		assertThat(SecretNames.isSecret("spring.datasource.username")).isFalse();
	}

	@Test
	void durationsAreWrittenAsUsersWriteThem() {
		assertThat(Durations.format(Duration.ofSeconds(5))).isEqualTo("5s");
		assertThat(Duration.ofSeconds(90)).satisfies((d) -> assertThat(Durations.format(d)).isEqualTo("90s"));
		assertThat(Durations.format(Duration.ofMinutes(2))).isEqualTo("2m");
		assertThat(Durations.format(Duration.ofMillis(1500))).isEqualTo("1500ms");
		assertThat(Durations.format(Duration.ofNanos(2_345_678_901L))).as("measured: to the millisecond")
			.isEqualTo("2346ms");
		assertThat(Durations.format(Duration.ZERO)).isEqualTo("0s");
	}

}
