package dev.recycling.analytics.cache;

/**
 * Normalization shared by the cache keys.
 */
final class Keys {

	private Keys() {
	}

	/**
	 * Trim a value and cut it to a length, never between the two halves of a surrogate pair.
	 * @param value the value
	 * @param maxLength the longest result, in characters
	 * @return the normalized value
	 */
	static String cap(String value, int maxLength) {
		int length = value.length();
		// most values start and end with a visible ASCII character: then they have nothing to
		// strip, and checking that is cheaper than strip() on every request
		String trimmed = (length > 0 && isVisibleAscii(value.charAt(0)) && isVisibleAscii(value.charAt(length - 1)))
				? value : value.strip();
		if (trimmed.length() <= maxLength) {
			return trimmed;
		}
		int end = Character.isHighSurrogate(trimmed.charAt(maxLength - 1)) ? maxLength - 1 : maxLength;
		return trimmed.substring(0, end);
	}

	private static boolean isVisibleAscii(char c) {
		return c > ' ' && c < 0x7f;
	}

	static String required(String value, int maxLength, String what) {
		String capped = cap(value, maxLength);
		if (capped.isEmpty()) {
			throw new IllegalArgumentException(what + " must not be blank");
		}
		return capped;
	}

}
