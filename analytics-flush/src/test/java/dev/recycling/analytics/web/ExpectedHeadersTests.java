package dev.recycling.analytics.web;

import java.nio.charset.StandardCharsets;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link ExpectedHeaders}: the bytes a server compares received headers with.
 */
class ExpectedHeadersTests {

	@Test
	void namesAndValuesAreHeldWithTheirBytesInIso88591() {
		ExpectedHeaders headers = new ExpectedHeaders(new String[] { "X-Client-Name", "Host" },
				new @Nullable String[] { "w\u00e9b", null });
		assertThat(headers.size()).isEqualTo(2);
		assertThat(headers.nameBytes(0)).isEqualTo("X-Client-Name".getBytes(StandardCharsets.US_ASCII));
		assertThat(headers.valueBytes(0)).containsExactly('w', 0xe9, 'b');
		assertThat(headers.valueBytes(1)).isNull();
		assertThat(headers.valueChars()).isEqualTo(3);
	}

	@Test
	void aCharacterAboveIso88591HasNoBytes() {
		ExpectedHeaders headers = new ExpectedHeaders(new String[] { "X-\u0117" },
				new @Nullable String[] { "w\u01e9b" });
		assertThat(headers.nameBytes(0)).isEmpty();
		assertThat(headers.valueBytes(0)).isNull();
		assertThat(headers.value(0)).isEqualTo("w\u01e9b");
	}

	@Test
	void eachNameNeedsAValue() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new ExpectedHeaders(new String[] { "Host" }, new @Nullable String[0]))
			.withMessage("Each name needs a value: 1 names, 0 values");
	}

}
