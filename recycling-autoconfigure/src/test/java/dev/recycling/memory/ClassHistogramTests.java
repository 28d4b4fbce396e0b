package dev.recycling.memory;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ClassHistogram}: the text the JVM prints, and this JVM's own histogram.
 */
class ClassHistogramTests {

	private static final String BEFORE = """
			 num     #instances         #bytes  class name (module)
			-------------------------------------------------------
			   1:         10000        1000000  [B (java.base@17.0.12)
			   2:          5000         120000  java.lang.String (java.base@17.0.12)
			   3:           100           1600  com.example.Cache$Entry
			   4:            10            400  [Ljava.lang.Object; (java.base@17.0.12)
			Total         15110        1122000
			""";

	private static final String AFTER = """
			 num     #instances         #bytes  class name (module)
			-------------------------------------------------------
			   1:         58000      151000000  [B (java.base@17.0.12)
			   2:         48100         769600  com.example.Cache$Entry
			   3:          5000         120000  java.lang.String (java.base@17.0.12)
			   4:            20         200000  [Ljava.lang.Object; (java.base@17.0.12)
			   5:             3             72  [[Lcom.example.Cache$Entry;
			Total        111123      152089672
			""";

	@Test
	void growthIsRankedByBytesAcrossAllClassesAndByInstancesAcrossApplicationClasses() {
		ClassHistogram before = ClassHistogram.parse(BEFORE);
		ClassHistogram after = ClassHistogram.parse(AFTER);

		assertThat(after.growthSince(before, 10, false, ClassGrowth::bytes)).containsExactly(
				new ClassGrowth("byte[]", true, 48000, 150000000), new ClassGrowth("com.example.Cache$Entry", false,
						48000, 768000),
				new ClassGrowth("java.lang.Object[]", true, 10, 199600),
				new ClassGrowth("com.example.Cache$Entry[][]", false, 3, 72));
		assertThat(after.growthSince(before, 1, true, ClassGrowth::instances))
			.containsExactly(new ClassGrowth("com.example.Cache$Entry", false, 48000, 768000));
	}

	@Test
	void theWebServersOwnObjectsAreNotApplicationClasses() {
		ClassHistogram before = ClassHistogram.parse(BEFORE);
		ClassHistogram after = ClassHistogram.parse(AFTER.replace("Total", """
				   6:         90000        2160000  org.apache.tomcat.util.buf.ByteChunk
				   7:         70000        1680000  org.eclipse.jetty.io.ArrayByteBufferPool$Entry
				Total"""));
		assertThat(after.growthSince(before, 1, true, ClassGrowth::instances))
			.containsExactly(new ClassGrowth("com.example.Cache$Entry", false, 48000, 768000));
		assertThat(after.growthSince(before, 10, false, ClassGrowth::instances)).extracting(ClassGrowth::className)
			.startsWith("org.apache.tomcat.util.buf.ByteChunk", "org.eclipse.jetty.io.ArrayByteBufferPool$Entry");
	}

	@Test
	void textThatIsNotAHistogramGivesNoClasses() {
		assertThat(ClassHistogram.parse("GC.class_histogram failed: not supported").classes()).isZero();
	}

	@Test
	void thisJvmsHistogramCountsTheObjectsATestRetains() {
		ClassHistogram before = ClassHistogram.ofThisJvm();
		List<Retained> retained = new ArrayList<>();
		for (int i = 0; i < 20_000; i++) {
			retained.add(new Retained(i));
		}
		ClassHistogram after = ClassHistogram.ofThisJvm();

		ClassGrowth growth = after.growthSince(before, 1, true, ClassGrowth::instances).get(0);
		assertThat(growth.className()).isEqualTo(Retained.class.getName());
		assertThat(growth.instances()).isEqualTo(20_000);
		assertThat(growth.jdkClass()).isFalse();
		assertThat(retained).hasSize(20_000);
	}

	@Test
	void theEarlierHistogramsOwnTextIsNotCountedAsGrowth() {
		ClassHistogram before = ClassHistogram.ofThisJvm();
		ClassHistogram after = ClassHistogram.ofThisJvm();

		assertThat(before.textArrayBytes()).as("the text kept between the two").isGreaterThan(64 * 1024);
		assertThat(after.growthSince(before, 100, false, ClassGrowth::bytes))
			.noneMatch((growth) -> growth.bytes() >= before.textArrayBytes() / 2);
	}

	private record Retained(long value) {

	}

}
