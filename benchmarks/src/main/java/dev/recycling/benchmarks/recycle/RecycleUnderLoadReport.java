package dev.recycling.benchmarks.recycle;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.imageio.ImageIO;

/**
 * Reads what the recycle-under-load scenario produced (the load driver's JSON and the
 * demo's {@code GET /actuator/recycling}) and writes its figures as JSON and a chart of
 * latency per second across the recycles as PNG.
 *
 * <pre>
 * java -cp benchmarks/target/classes dev.recycling.benchmarks.recycle.RecycleUnderLoadReport \
 *   --load load.json --recycling recycling.json --cold-start-ms 4100 \
 *   --json report.json --png chart.png
 * </pre>
 *
 * @author recycling team
 */
public final class RecycleUnderLoadReport {

	private static final Pattern SECOND = Pattern.compile(
			"\\{\"second\": (\\d+), \"requests\": (\\d+), \"failed\": (\\d+), \"p99Micros\": (\\d+), \"maxMicros\": (\\d+)[^}]*}");

	private static final Pattern RECORD = Pattern
		.compile("\"endedAt\":\"([^\"]+)\",\"lifetime\":\"[^\"]+\",\"restartDuration\":(null|\"([^\"]+)\")");

	private RecycleUnderLoadReport() {
	}

	public static void main(String[] args) throws IOException {
		Path load = null;
		Path recycling = null;
		long coldStartMillis = -1;
		Path json = null;
		Path png = null;
		for (int i = 0; i + 1 < args.length; i += 2) {
			switch (args[i]) {
				case "--load" -> load = Path.of(args[i + 1]);
				case "--recycling" -> recycling = Path.of(args[i + 1]);
				case "--cold-start-ms" -> coldStartMillis = Long.parseLong(args[i + 1]);
				case "--json" -> json = Path.of(args[i + 1]);
				case "--png" -> png = Path.of(args[i + 1]);
				default -> throw new IllegalArgumentException("Unknown option " + args[i]
						+ "; options: --load --recycling --cold-start-ms --json --png");
			}
		}
		if (load == null || recycling == null || json == null || png == null) {
			throw new IllegalArgumentException("--load, --recycling, --json and --png are required");
		}
		Report report = Report.of(Files.readString(load), Files.readString(recycling), coldStartMillis);
		Files.writeString(json, report.json());
		ImageIO.write(report.chart(), "png", png.toFile());
		System.out.println(report.line());
	}

	/**
	 * One second of the load.
	 */
	record Second(int second, long requests, long failed, long p99Micros, long maxMicros) {
	}

	/**
	 * One recycle within the load: when its generation's context closed, and how long from
	 * the decision until the next generation was ready, both in seconds since the load
	 * started.
	 */
	record Recycle(double endedAt, double restartSeconds) {

		boolean covers(int second) {
			return second + 1 > this.endedAt - this.restartSeconds && second < this.endedAt + this.restartSeconds;
		}

	}

	record Report(long total, long ok, long failed, String failures, List<Second> seconds, List<Recycle> recycles,
			long coldStartMillis) {

		static Report of(String loadJson, String recyclingJson, long coldStartMillis) {
			long startedAt = number(loadJson, "startedAtEpochMillis");
			List<Second> seconds = new ArrayList<>();
			Matcher second = SECOND.matcher(loadJson);
			while (second.find()) {
				seconds.add(new Second(Integer.parseInt(second.group(1)), Long.parseLong(second.group(2)),
						Long.parseLong(second.group(3)), Long.parseLong(second.group(4)),
						Long.parseLong(second.group(5))));
			}
			List<Recycle> recycles = new ArrayList<>();
			Matcher record = RECORD.matcher(recyclingJson);
			while (record.find()) {
				if (record.group(3) == null) {
					continue;
				}
				double endedAt = (Instant.parse(record.group(1)).toEpochMilli() - startedAt) / 1000.0;
				double restart = Duration.parse(record.group(3)).toNanos() / 1e9;
				if (endedAt >= 0 && endedAt <= seconds.size()) {
					recycles.add(new Recycle(endedAt, restart));
				}
			}
			recycles.sort((a, b) -> Double.compare(a.endedAt(), b.endedAt()));
			Matcher failures = Pattern.compile("\"failures\": (\\{[^}]*})").matcher(loadJson);
			return new Report(number(loadJson, "total"), number(loadJson, "ok"), number(loadJson, "failed"),
					failures.find() ? failures.group(1) : "{}", seconds, recycles, coldStartMillis);
		}

		private static long number(String json, String name) {
			Matcher matcher = Pattern.compile("\"" + name + "\": (\\d+)").matcher(json);
			if (!matcher.find()) {
				throw new IllegalArgumentException("No \"" + name + "\" in the load driver's JSON");
			}
			return Long.parseLong(matcher.group(1));
		}

		private boolean duringRecycle(Second second) {
			return this.recycles.stream().anyMatch((recycle) -> recycle.covers(second.second()));
		}

		private long worst(boolean duringRecycles, boolean max) {
			return this.seconds.stream()
				.filter((second) -> second.requests() > 0 && duringRecycle(second) == duringRecycles)
				.mapToLong((second) -> max ? second.maxMicros() : second.p99Micros())
				.max()
				.orElse(0);
		}

		private double restartMillis(double quantile) {
			double[] sorted = this.recycles.stream().mapToDouble(Recycle::restartSeconds).sorted().toArray();
			if (sorted.length == 0) {
				return 0;
			}
			return 1000 * sorted[(int) Math.min(sorted.length - 1, Math.ceil(quantile * sorted.length) - 1)];
		}

		String line() {
			return String.format(Locale.ROOT,
					"recycles=%d total=%d ok=%d failed=%d %s; worst per-second p99/max during recycles %.1f/%.1f ms, "
							+ "otherwise %.1f/%.1f ms; restart median %.0f ms, max %.0f ms; cold start %d ms",
					this.recycles.size(), this.total, this.ok, this.failed, this.failures,
					worst(true, false) / 1000.0, worst(true, true) / 1000.0, worst(false, false) / 1000.0,
					worst(false, true) / 1000.0, restartMillis(0.5), restartMillis(1.0), this.coldStartMillis);
		}

		String json() {
			return String.format(Locale.ROOT, """
					{
					  "recycles": %d,
					  "total": %d,
					  "ok": %d,
					  "failed": %d,
					  "failures": %s,
					  "duringRecycles": {"worstSecondP99Millis": %.3f, "worstSecondMaxMillis": %.3f},
					  "otherwise": {"worstSecondP99Millis": %.3f, "worstSecondMaxMillis": %.3f},
					  "restartMillis": {"median": %.1f, "max": %.1f},
					  "coldStartMillis": %d,
					  "restartToColdStartRatio": %.3f
					}
					""", this.recycles.size(), this.total, this.ok, this.failed, this.failures,
					worst(true, false) / 1000.0, worst(true, true) / 1000.0, worst(false, false) / 1000.0,
					worst(false, true) / 1000.0, restartMillis(0.5), restartMillis(1.0), this.coldStartMillis,
					(this.coldStartMillis > 0) ? restartMillis(0.5) / this.coldStartMillis : 0);
		}

		// latency per second (p99 and max) over the run, recycles as shaded bands
		BufferedImage chart() {
			int width = 1200;
			int height = 480;
			int left = 70;
			int right = 20;
			int top = 40;
			int bottom = 50;
			BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
			Graphics2D g = image.createGraphics();
			g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
			g.setColor(Color.WHITE);
			g.fillRect(0, 0, width, height);
			int plotWidth = width - left - right;
			int plotHeight = height - top - bottom;
			double secondsSpan = Math.max(1, this.seconds.size());
			double maxMillis = Math.max(1, this.seconds.stream().mapToLong(Second::maxMicros).max().orElse(1) / 1000.0);
			double yTop = niceCeiling(maxMillis);
			g.setColor(new Color(255, 228, 196));
			for (Recycle recycle : this.recycles) {
				int from = left + (int) (plotWidth * Math.max(0, recycle.endedAt() - recycle.restartSeconds()) / secondsSpan);
				int to = left + (int) (plotWidth * Math.min(secondsSpan, recycle.endedAt() + recycle.restartSeconds())
						/ secondsSpan);
				g.fillRect(from, top, Math.max(2, to - from), plotHeight);
			}
			g.setColor(Color.GRAY);
			g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
			for (int i = 0; i <= 5; i++) {
				int y = top + plotHeight - plotHeight * i / 5;
				g.drawLine(left - 4, y, left + plotWidth, y);
				g.drawString(String.format(Locale.ROOT, "%.0f ms", yTop * i / 5), 5, y + 4);
			}
			int step = (int) Math.max(1, Math.ceil(secondsSpan / 12));
			for (int s = 0; s <= secondsSpan; s += step) {
				int x = left + (int) (plotWidth * s / secondsSpan);
				g.drawLine(x, top + plotHeight, x, top + plotHeight + 4);
				g.drawString(s + " s", x - 8, top + plotHeight + 18);
			}
			plot(g, left, top, plotWidth, plotHeight, secondsSpan, yTop, new Color(200, 30, 30), true);
			plot(g, left, top, plotWidth, plotHeight, secondsSpan, yTop, new Color(30, 80, 200), false);
			g.setColor(Color.BLACK);
			g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
			g.drawString(String.format(Locale.ROOT,
					"Latency per second across %d recycles: %d requests, %d failed (shaded: from a recycle's decision "
							+ "to the next generation serving)",
					this.recycles.size(), this.total, this.failed), left, 24);
			g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
			g.setColor(new Color(200, 30, 30));
			g.drawString("max", left + plotWidth - 110, top + 16);
			g.setColor(new Color(30, 80, 200));
			g.drawString("p99", left + plotWidth - 60, top + 16);
			g.setColor(Color.BLACK);
			g.drawString("seconds since the load started", left + plotWidth / 2 - 80, height - 10);
			g.dispose();
			return image;
		}

		private void plot(Graphics2D g, int left, int top, int plotWidth, int plotHeight, double secondsSpan,
				double yTop, Color color, boolean max) {
			g.setColor(color);
			g.setStroke(new BasicStroke(1.6f));
			int previousX = -1;
			int previousY = -1;
			for (Second second : this.seconds) {
				if (second.requests() == 0) {
					continue;
				}
				double millis = (max ? second.maxMicros() : second.p99Micros()) / 1000.0;
				int x = left + (int) (plotWidth * (second.second() + 0.5) / secondsSpan);
				int y = top + plotHeight - (int) (plotHeight * Math.min(1, millis / yTop));
				if (previousX >= 0) {
					g.drawLine(previousX, previousY, x, y);
				}
				previousX = x;
				previousY = y;
				if (second.failed() > 0) {
					g.fillOval(x - 4, top + plotHeight - 8, 8, 8);
				}
			}
		}

		private static double niceCeiling(double value) {
			double magnitude = Math.pow(10, Math.floor(Math.log10(value)));
			for (double factor : new double[] { 1, 2, 5, 10 }) {
				if (factor * magnitude >= value) {
					return factor * magnitude;
				}
			}
			return 10 * magnitude;
		}

	}

}
