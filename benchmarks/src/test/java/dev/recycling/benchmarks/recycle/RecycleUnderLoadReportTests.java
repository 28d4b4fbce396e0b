package dev.recycling.benchmarks.recycle;

import java.awt.GraphicsEnvironment;
import java.awt.image.BufferedImage;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Tests for {@link RecycleUnderLoadReport}: which seconds count as during a recycle, and the
 * figures and chart it makes of them.
 */
class RecycleUnderLoadReportTests {

	// the load started at 2026-11-23T10:00:00Z
	private static final String LOAD = """
			{
			  "total": 400,
			  "ok": 399,
			  "failed": 1,
			  "failures": {"refused": 0, "reset": 1, "timeout": 0, "5xx": 0, "other": 0},
			  "latencyMillis": {"p50": 1.000, "p99": 900.000, "max": 950.000},
			  "startedAtEpochMillis": 1795428000000,
			  "seconds": 4.000,
			  "throughputPerSecond": 99.8,
			  "timeline": [
			    {"second": 0, "requests": 100, "failed": 0, "p99Micros": 5000, "maxMicros": 6000},
			    {"second": 1, "requests": 100, "failed": 0, "p99Micros": 900000, "maxMicros": 950000},
			    {"second": 2, "requests": 100, "failed": 1, "p99Micros": 7000, "maxMicros": 8000},
			    {"second": 3, "requests": 100, "failed": 0, "p99Micros": 4000, "maxMicros": 9000}
			  ]
			}
			""";

	// generation 1 closed 1.5 s in and the next served 0.3 s after the decision; generation 2
	// ended after the load (shutdown, no restart)
	private static final String RECYCLING = """
			{"generation":3,"history":[
			{"generation":2,"reason":"shutdown","note":null,"requestsServed":3,"maxRequests":null,"maxLifetime":null,\
			"startedAt":"2026-11-23T10:00:01.700Z","endedAt":"2026-11-23T10:00:09Z","lifetime":"PT7.3S",\
			"restartDuration":null},
			{"generation":1,"reason":"max-requests","note":null,"requestsServed":150,"maxRequests":150,\
			"maxLifetime":null,"startedAt":"2026-11-23T09:59:55Z","endedAt":"2026-11-23T10:00:01.500Z",\
			"lifetime":"PT6.5S","restartDuration":"PT0.3S"}]}
			""";

	@Test
	void secondsOverlappingARecycleAreReportedApartFromTheRest() {
		RecycleUnderLoadReport.Report report = RecycleUnderLoadReport.Report.of(LOAD, RECYCLING, 2000);

		assertThat(report.recycles()).containsExactly(new RecycleUnderLoadReport.Recycle(1.5, 0.3));
		assertThat(report.line()).contains("recycles=1 total=400 ok=399 failed=1")
			.contains("during recycles 900.0/950.0 ms, otherwise 7.0/9.0 ms")
			.contains("restart median 300 ms, max 300 ms; cold start 2000 ms");
		assertThat(report.json()).contains("\"restartToColdStartRatio\": 0.150");
	}

	@Test
	void theChartIsDrawn() {
		assumeTrue(fontsInstalled(), "AWT draws text only with fonts installed (fontconfig)");
		BufferedImage chart = RecycleUnderLoadReport.Report.of(LOAD, RECYCLING, 2000).chart();

		assertThat(chart.getWidth()).isEqualTo(1200);
		// the shaded recycle band is there, a quarter of the way across the plot area
		assertThat(chart.getRGB(70 + 1110 * 3 / 8, 200) & 0xFFFFFF).isNotEqualTo(0xFFFFFF);
	}

	private static boolean fontsInstalled() {
		try {
			return GraphicsEnvironment.getLocalGraphicsEnvironment().getAvailableFontFamilyNames().length > 0;
		}
		catch (Throwable ex) {
			return false;
		}
	}

}
