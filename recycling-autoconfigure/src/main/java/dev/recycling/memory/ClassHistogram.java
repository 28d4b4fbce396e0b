package dev.recycling.memory;

import java.lang.management.ManagementFactory;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToLongFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.management.JMException;
import javax.management.ObjectName;

/**
 * Live instances and their shallow size per class, as the JVM's {@code GC.class_histogram}
 * diagnostic command reports them.
 * <p>
 * Taking one is not free: the JVM runs a full, stop-the-world collection and walks the
 * whole heap, a pause of tens of milliseconds for a small heap and seconds for a large one.
 * <p>
 * A histogram kept to compare with a later one is itself on the heap when the later one is
 * taken; it is kept as the text the JVM printed, one {@code String} and its
 * {@code byte[]}, and {@link #growthSince} takes those out again. The recorder's own
 * samples ({@link MemorySnapshot}) are left out of the ranking.
 *
 * @author recycling team
 */
public final class ClassHistogram {

	private static final String DIAGNOSTIC_COMMAND = "com.sun.management:type=DiagnosticCommand";

	// "   1:         55174        5428848  [B (java.base@17.0.12)"
	private static final Pattern ROW = Pattern.compile("^\\s*\\d+:\\s+(\\d+)\\s+(\\d+)\\s+(\\S+)(?:\\s+\\((.+)\\))?\\s*$");

	// a String object with compressed class pointers: header, hash, value, coder, hashIsZero
	private static final long STRING_BYTES = 24;

	// the recorder's samples, kept between the two histograms
	private static final String OWN_SAMPLES = MemorySnapshot.class.getName();

	private static final List<String> SERVER_PACKAGES = List.of("org.apache.tomcat.", "org.apache.catalina.",
			"org.apache.coyote.", "org.eclipse.jetty.", "io.netty.", "reactor.netty.");

	private final String text;

	private final boolean takenHere;

	private ClassHistogram(String text, boolean takenHere) {
		this.text = text;
		this.takenHere = takenHere;
	}

	/**
	 * Take a histogram of this JVM's live objects.
	 * @return the histogram
	 * @throws IllegalStateException if this JVM has no diagnostic command MBean (not
	 * HotSpot) or it fails
	 */
	public static ClassHistogram ofThisJvm() {
		try {
			Object output = ManagementFactory.getPlatformMBeanServer()
				.invoke(new ObjectName(DIAGNOSTIC_COMMAND), "gcClassHistogram", new Object[] { new String[0] },
						new String[] { String[].class.getName() });
			return new ClassHistogram(String.valueOf(output), true);
		}
		catch (JMException ex) {
			throw new IllegalStateException("This JVM cannot take a class histogram (" + DIAGNOSTIC_COMMAND
					+ " gcClassHistogram): " + ex.getMessage(), ex);
		}
	}

	/**
	 * Read the text the diagnostic command prints.
	 * @param text the histogram as printed
	 * @return the histogram
	 */
	static ClassHistogram parse(String text) {
		return new ClassHistogram(text, false);
	}

	private Map<String, Row> rows() {
		Map<String, Row> rows = new HashMap<>();
		for (String line : this.text.split("\\R")) {
			Matcher matcher = ROW.matcher(line);
			if (matcher.matches()) {
				String module = matcher.group(4);
				boolean jdk = module != null && (module.startsWith("java.") || module.startsWith("jdk."));
				rows.merge(sourceName(matcher.group(3)),
						new Row(Long.parseLong(matcher.group(1)), Long.parseLong(matcher.group(2)), jdk), Row::plus);
			}
		}
		return rows;
	}

	// the embedded web server's own objects (buffers, processors) grow with load early in a
	// generation; the application's classes are what a user looks for
	private static boolean isServer(String className) {
		for (String server : SERVER_PACKAGES) {
			if (className.startsWith(server)) {
				return true;
			}
		}
		return false;
	}

	// "[B" -> "byte[]", "[[Ljava.lang.String;" -> "java.lang.String[][]"
	private static String sourceName(String jvmName) {
		int dimensions = 0;
		while (dimensions < jvmName.length() && jvmName.charAt(dimensions) == '[') {
			dimensions++;
		}
		if (dimensions == 0) {
			return jvmName;
		}
		String element = jvmName.substring(dimensions);
		String component = switch (element) {
			case "Z" -> "boolean";
			case "B" -> "byte";
			case "C" -> "char";
			case "S" -> "short";
			case "I" -> "int";
			case "J" -> "long";
			case "F" -> "float";
			case "D" -> "double";
			default -> (element.startsWith("L") && element.endsWith(";"))
					? element.substring(1, element.length() - 1) : element;
		};
		return component + "[]".repeat(dimensions);
	}

	/**
	 * Return the classes that grew most since an earlier histogram.
	 * @param earlier the earlier histogram
	 * @param limit how many classes to return at most
	 * @param applicationClassesOnly whether to leave out JDK classes
	 * @param by what to rank by, {@link ClassGrowth#bytes()} or
	 * {@link ClassGrowth#instances()}
	 * @return the classes that grew, most first
	 */
	List<ClassGrowth> growthSince(ClassHistogram earlier, int limit, boolean applicationClassesOnly,
			ToLongFunction<ClassGrowth> by) {
		Map<String, Row> now = rows();
		Map<String, Row> before = earlier.rows();
		if (earlier.takenHere && this.takenHere) {
			// the earlier histogram's own text was live when this one was taken
			now.computeIfPresent("java.lang.String", (name, row) -> row.minus(1, STRING_BYTES));
			now.computeIfPresent("byte[]", (name, row) -> row.minus(1, earlier.textArrayBytes()));
		}
		return now.entrySet()
			.stream()
			.filter((entry) -> !entry.getKey().equals(OWN_SAMPLES))
			.filter((entry) -> !applicationClassesOnly || (!entry.getValue().jdk() && !isServer(entry.getKey())))
			.map((entry) -> {
				Row after = entry.getValue();
				Row earlierRow = before.getOrDefault(entry.getKey(), Row.NONE);
				return new ClassGrowth(entry.getKey(), after.jdk(), after.instances() - earlierRow.instances(),
						after.bytes() - earlierRow.bytes());
			})
			.filter((growth) -> by.applyAsLong(growth) > 0)
			.sorted(Comparator.comparingLong(by).reversed().thenComparing(ClassGrowth::className))
			.limit(limit)
			.toList();
	}

	/**
	 * Return the number of classes with live instances.
	 * @return the class count
	 */
	int classes() {
		return rows().size();
	}

	// shallow size of the text's byte[]: a 16-byte header, one byte a character when every
	// character fits in Latin-1 (compact strings), two otherwise, aligned to 8
	long textArrayBytes() {
		boolean latin1 = this.text.chars().allMatch((c) -> c <= 0xFF);
		long size = 16 + (long) this.text.length() * (latin1 ? 1 : 2);
		return (size + 7) / 8 * 8;
	}

	private record Row(long instances, long bytes, boolean jdk) {

		static final Row NONE = new Row(0, 0, false);

		Row plus(Row other) {
			return new Row(this.instances + other.instances, this.bytes + other.bytes, this.jdk);
		}

		Row minus(long instances, long bytes) {
			return new Row(this.instances - instances, this.bytes - bytes, this.jdk);
		}

	}

}
