package dev.recycling.memory;

import java.util.List;
import java.util.function.ToDoubleFunction;
import java.util.function.ToLongFunction;

/**
 * A straight line fitted by least squares through a figure against requests served (or
 * generations), and how well it fits.
 *
 * @param points how many points it was fitted through
 * @param slope change of the figure per request (or generation)
 * @param rSquared coefficient of determination, 0 (no trend) to 1 (all points on the
 * line); 0 when the figure did not change at all
 * @param span requests (or generations) from the first point to the last
 * @author recycling team
 */
record Trend(int points, double slope, double rSquared, long span) {

	/**
	 * Fit a line through snapshots.
	 * @param snapshots the points, in order of time
	 * @param figure the figure of each snapshot
	 * @return the trend
	 */
	static Trend fit(List<MemorySnapshot> snapshots, ToDoubleFunction<MemorySnapshot> figure) {
		return fit(snapshots, MemorySnapshot::requests, figure);
	}

	/**
	 * Fit a line through points.
	 * @param <T> the type of the points
	 * @param points the points, in order of their x
	 * @param x the x of each point (requests served, a generation number)
	 * @param y the figure of each point
	 * @return the trend, its slope per unit of x
	 */
	static <T> Trend fit(List<T> points, ToLongFunction<T> x, ToDoubleFunction<T> y) {
		int n = points.size();
		if (n < 2) {
			return new Trend(n, 0, 0, 0);
		}
		double meanX = 0;
		double meanY = 0;
		for (T point : points) {
			meanX += x.applyAsLong(point);
			meanY += y.applyAsDouble(point);
		}
		meanX /= n;
		meanY /= n;
		double sxx = 0;
		double sxy = 0;
		double syy = 0;
		for (T point : points) {
			double dx = x.applyAsLong(point) - meanX;
			double dy = y.applyAsDouble(point) - meanY;
			sxx += dx * dx;
			sxy += dx * dy;
			syy += dy * dy;
		}
		long span = x.applyAsLong(points.get(n - 1)) - x.applyAsLong(points.get(0));
		if (sxx == 0) {
			return new Trend(n, 0, 0, span);
		}
		double slope = sxy / sxx;
		double rSquared = (syy == 0) ? 0 : (sxy * sxy) / (sxx * syy);
		return new Trend(n, slope, rSquared, span);
	}

	/**
	 * Return the growth the line gives over its span of requests.
	 * @return the fitted growth
	 */
	double growth() {
		return this.slope * this.span;
	}

}
