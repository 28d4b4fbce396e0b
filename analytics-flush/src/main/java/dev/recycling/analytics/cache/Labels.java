package dev.recycling.analytics.cache;

import java.util.Arrays;
import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.BiConsumer;

import org.jspecify.annotations.Nullable;

/**
 * Labels of a usage count, such as the client application's name and version and its user
 * agent. Normalized so that equal labels are equal keys: blank values dropped, names and
 * values trimmed and length-capped, at most {@value #MAX_LABELS} labels, sorted by name.
 * The caps keep a client that sends a new user agent on every request from growing a key
 * without bound.
 *
 * @author recycling team
 */
public final class Labels {

	/**
	 * Label name of the client application's name.
	 */
	public static final String CLIENT_APPLICATION_NAME = "client_application_name";

	/**
	 * Label name of the client application's version.
	 */
	public static final String CLIENT_APPLICATION_VERSION = "client_application_version";

	/**
	 * Label name of the user agent.
	 */
	public static final String USER_AGENT = "user_agent";

	/**
	 * Most labels kept; further ones, in name order, are dropped.
	 */
	public static final int MAX_LABELS = 4;

	/**
	 * Longest label name kept, in characters.
	 */
	public static final int MAX_NAME_LENGTH = 32;

	/**
	 * Longest label value kept, in characters; longer values are cut.
	 */
	public static final int MAX_VALUE_LENGTH = 128;

	/**
	 * No labels.
	 */
	public static final Labels NONE = new Labels(new String[0]);

	// names and values in name order: equal labels have equal arrays, compared without
	// iterators (a counter compares every request's new key with the one it holds), and
	// built without a map for the client's labels, which every request records
	private final String[] pairs;

	private final int hash;

	private Labels(String[] pairs) {
		this.pairs = pairs;
		int hash = 1;
		for (String value : pairs) {
			hash = 31 * hash + value.hashCode();
		}
		this.hash = hash;
	}

	/**
	 * Return normalized labels.
	 * @param labels the labels as received; {@code null} or blank values are dropped
	 * @return the labels
	 */
	public static Labels of(Map<String, ? extends @Nullable String> labels) {
		TreeMap<String, String> normalized = new TreeMap<>();
		labels.forEach((name, value) -> {
			String cleanName = Keys.cap(name, MAX_NAME_LENGTH);
			String cleanValue = (value != null) ? Keys.cap(value, MAX_VALUE_LENGTH) : "";
			if (!cleanName.isEmpty() && !cleanValue.isEmpty()) {
				normalized.put(cleanName, cleanValue);
			}
		});
		while (normalized.size() > MAX_LABELS) {
			normalized.pollLastEntry();
		}
		if (normalized.isEmpty()) {
			return NONE;
		}
		String[] pairs = new String[normalized.size() * 2];
		int i = 0;
		for (Map.Entry<String, String> label : normalized.entrySet()) {
			pairs[i++] = label.getKey();
			pairs[i++] = label.getValue();
		}
		return new Labels(pairs);
	}

	/**
	 * Return the labels of a client application, normalized as {@link #of(Map)} does.
	 * @param applicationName the value of {@value #CLIENT_APPLICATION_NAME}
	 * @param applicationVersion the value of {@value #CLIENT_APPLICATION_VERSION}
	 * @param userAgent the value of {@value #USER_AGENT}
	 * @return the labels
	 */
	public static Labels client(@Nullable String applicationName, @Nullable String applicationVersion,
			@Nullable String userAgent) {
		if (applicationName == null && applicationVersion == null && userAgent == null) {
			return NONE;
		}
		// the three names are in name order, and fewer than MAX_LABELS
		String[] pairs = new String[6];
		int length = put(pairs, 0, CLIENT_APPLICATION_NAME, applicationName);
		length = put(pairs, length, CLIENT_APPLICATION_VERSION, applicationVersion);
		length = put(pairs, length, USER_AGENT, userAgent);
		if (length == 0) {
			return NONE;
		}
		return new Labels((length < pairs.length) ? Arrays.copyOf(pairs, length) : pairs);
	}

	private static int put(String[] pairs, int length, String name, @Nullable String value) {
		String cleanValue = (value != null) ? Keys.cap(value, MAX_VALUE_LENGTH) : "";
		if (cleanValue.isEmpty()) {
			return length;
		}
		pairs[length] = name;
		pairs[length + 1] = cleanValue;
		return length + 2;
	}

	/**
	 * Return how many labels there are.
	 * @return the number of labels
	 */
	public int size() {
		return this.pairs.length / 2;
	}

	/**
	 * Call the action with each label's name and value, in name order.
	 * @param action the action
	 */
	public void forEach(BiConsumer<String, String> action) {
		for (int i = 0; i < this.pairs.length; i += 2) {
			action.accept(this.pairs[i], this.pairs[i + 1]);
		}
	}

	/**
	 * Return the labels by name, sorted: a new map for each call.
	 * @return the labels
	 */
	public SortedMap<String, String> asMap() {
		TreeMap<String, String> map = new TreeMap<>();
		forEach(map::put);
		return Collections.unmodifiableSortedMap(map);
	}

	/**
	 * Return the labels as canonical JSON: sorted names, no spaces. Equal labels give equal
	 * strings, so the string can identify them in a table.
	 * @return the JSON object
	 */
	public String toJson() {
		StringBuilder json = new StringBuilder("{");
		forEach((name, value) -> {
			if (json.length() > 1) {
				json.append(',');
			}
			appendJsonString(json, name).append(':');
			appendJsonString(json, value);
		});
		return json.append('}').toString();
	}

	private static StringBuilder appendJsonString(StringBuilder json, String value) {
		json.append('"');
		for (int i = 0; i < value.length(); i++) {
			char c = value.charAt(i);
			if (c == '"' || c == '\\') {
				json.append('\\').append(c);
			}
			else if (c < 0x20) {
				json.append(String.format("\\u%04x", (int) c));
			}
			else {
				json.append(c);
			}
		}
		return json.append('"');
	}

	// hash and comparison loop over the strings themselves: Arrays.hashCode and
	// Arrays.equals for objects call each element's methods through a call site that every
	// caller in the JVM shares, which C2 cannot make a direct call (a profile of the demo
	// under load found a counted request's key comparison mostly there)
	@Override
	public boolean equals(Object other) {
		return this == other || (other instanceof Labels that && this.hash == that.hash
				&& equalPairs(this.pairs, that.pairs));
	}

	private static boolean equalPairs(String[] pairs, String[] others) {
		if (pairs.length != others.length) {
			return false;
		}
		for (int i = 0; i < pairs.length; i++) {
			if (!pairs[i].equals(others[i])) {
				return false;
			}
		}
		return true;
	}

	@Override
	public int hashCode() {
		return this.hash;
	}

	@Override
	public String toString() {
		return toJson();
	}

}
