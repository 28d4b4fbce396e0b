package dev.recycling.analytics.web;

import java.nio.charset.StandardCharsets;

import org.jspecify.annotations.Nullable;

/**
 * Headers a request is expected to have: names, each with the first value expected (or none),
 * as {@link ReceivedRequestUsage#receivedHeadersEqual} compares a request with them. They also
 * hold their bytes in ISO-8859-1, which Tomcat decodes headers as, so that a server that
 * compares the headers as received compares bytes with bytes, a word at a time
 * ({@link java.util.Arrays#equals(byte[], int, int, byte[], int, int)}), instead of a character
 * at a time: the names as given (the case clients send them in; a name in another case is
 * compared ignoring case) and the values.
 *
 * @author recycling team
 */
final class ExpectedHeaders {

	private final String[] names;

	private final @Nullable String[] values;

	private final byte[][] nameBytes;

	private final @Nullable byte[][] valueBytes;

	/**
	 * Create the headers expected.
	 * @param names the headers' names
	 * @param values each one's first value, {@code null} for a header expected to be absent
	 */
	ExpectedHeaders(String[] names, @Nullable String[] values) {
		if (names.length != values.length) {
			throw new IllegalArgumentException("Each name needs a value: " + names.length + " names, "
					+ values.length + " values");
		}
		this.names = names;
		this.values = values;
		this.nameBytes = new byte[names.length][];
		this.valueBytes = new byte[names.length][];
		for (int i = 0; i < names.length; i++) {
			byte[] name = latin1(names[i]);
			this.nameBytes[i] = (name != null) ? name : new byte[0];
			this.valueBytes[i] = latin1(values[i]);
		}
	}

	/**
	 * Return how many headers there are.
	 * @return the number of names
	 */
	int size() {
		return this.names.length;
	}

	/**
	 * Return the name of a header.
	 * @param index its index
	 * @return its name
	 */
	String name(int index) {
		return this.names[index];
	}

	/**
	 * Return the value a header is expected to have.
	 * @param index its index
	 * @return its first value, or {@code null} if it is expected to be absent
	 */
	@Nullable String value(int index) {
		return this.values[index];
	}

	/**
	 * Return the name of a header in ISO-8859-1, as given.
	 * @param index its index
	 * @return its bytes, empty if the name has a character above U+00FF (no header received
	 * has that name's bytes then)
	 */
	byte[] nameBytes(int index) {
		return this.nameBytes[index];
	}

	/**
	 * Return the value of a header in ISO-8859-1.
	 * @param index its index
	 * @return its bytes, or {@code null} if it is expected to be absent or has a character above
	 * U+00FF (which no header decoded as ISO-8859-1 has)
	 */
	byte @Nullable [] valueBytes(int index) {
		return this.valueBytes[index];
	}

	/**
	 * Return how many characters the values have together.
	 * @return the sum of their lengths
	 */
	int valueChars() {
		int chars = 0;
		for (String value : this.values) {
			chars += (value != null) ? value.length() : 0;
		}
		return chars;
	}

	// the characters as bytes, one each, or null if one of them does not fit in one
	private static byte @Nullable [] latin1(@Nullable String text) {
		if (text == null) {
			return null;
		}
		for (int i = 0; i < text.length(); i++) {
			if (text.charAt(i) > 0xff) {
				return null;
			}
		}
		return text.getBytes(StandardCharsets.ISO_8859_1);
	}

}
