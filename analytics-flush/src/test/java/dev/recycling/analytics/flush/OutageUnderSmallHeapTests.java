package dev.recycling.analytics.flush;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An outage with high-cardinality labels in a JVM with a 96 MB heap: about 400 MB of
 * counts are recorded while the database refuses every connection. The batches in memory
 * stay within their bound in bytes, the rest goes to disk, and every count is on disk at
 * the end.
 */
class OutageUnderSmallHeapTests {

	private static final int ENTRIES = 400_000;

	@TempDir
	Path spill;

	@Test
	void anOutageWithLongLabelsSpillsBeyondTheBoundInsteadOfExhaustingTheHeap() throws Exception {
		Run run = run("bounded");
		assertThat(run.exitCode).as(run.output).isZero();
		assertThat(run.number("recorded")).isEqualTo(ENTRIES);
		assertThat(run.number("spilled")).as("every count on disk").isEqualTo(ENTRIES);
		assertThat(run.number("lost")).isZero();
		assertThat(run.number("in-memory-bytes")).isLessThanOrEqualTo(run.number("max-heap") / 20);
		assertThat(Double.parseDouble(run.text("footprint-ratio")))
			.as("the estimate is not below the heap the batches really hold: " + run.output)
			.isGreaterThanOrEqualTo(1.0);
	}

	@Test
	void withoutTheBoundTheSameOutageRunsOutOfMemory() throws Exception {
		Run run = run("unbounded");
		assertThat(run.exitCode).isNotZero();
		assertThat(run.output).contains("OutOfMemoryError");
	}

	private Run run(String mode) throws IOException, InterruptedException {
		Process process = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
				"-Xmx96m", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
				OutageUnderSmallHeap.class.getName(), this.spill.toString(), Integer.toString(ENTRIES), mode))
			.redirectErrorStream(true)
			.start();
		byte[] output = process.getInputStream().readAllBytes();
		assertThat(process.waitFor(5, TimeUnit.MINUTES)).isTrue();
		return new Run(process.exitValue(), new String(output, StandardCharsets.UTF_8));
	}

	private record Run(int exitCode, String output) {

		long number(String name) {
			return Long.parseLong(text(name));
		}

		String text(String name) {
			Matcher matcher = Pattern.compile("\\b" + Pattern.quote(name) + "=(\\S+)").matcher(this.output);
			assertThat(matcher.find()).as(name + " in " + this.output).isTrue();
			return matcher.group(1);
		}

	}

}
