package dev.recycling.memory;

import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * A straight line fitted by least squares through a figure against requests served, and
 * how well it fits.
 *
 * @param points how many points it was fitted through
 * @param slope change of the figure per request
 * @param rSquared coefficient of determination, 0 (no trend) to 1 (all points on the
 * line); 0 when the figure did not change at all
 * @param span requests from the first point to the last
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
		int n = snapshots.size();
		if (n < 2) {
			return new Trend(n, 0, 0, 0);
		}
		double meanX = 0;
		double meanY = 0;
		for (MemorySnapshot snapshot : snapshots) {
			meanX += snapshot.requests();
			meanY += figure.applyAsDouble(snapshot);
		}
		meanX /= n;
		meanY /= n;
		double sxx = 0;
		double sxy = 0;
		double syy = 0;
		for (MemorySnapshot snapshot : snapshots) {
			double dx = snapshot.requests() - meanX;
			double dy = figure.applyAsDouble(snapshot) - meanY;
			sxx += dx * dx;
			sxy += dx * dy;
			syy += dy * dy;
		}
		long span = snapshots.get(n - 1).requests() - snapshots.get(0).requests();
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
