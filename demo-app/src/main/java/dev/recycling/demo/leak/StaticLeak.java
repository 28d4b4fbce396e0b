package dev.recycling.demo.leak;

import java.util.ArrayList;
import java.util.List;

/**
 * A leak that survives recycles: each generation adds bytes to a static list as it
 * starts, so every recycle leaves the next generation with more. A context restart cannot
 * free it; the recycler's comparison across generations finds it.
 *
 * @author recycling team
 */
public final class StaticLeak {

	// in chunks well below half a G1 region, so the heap holds what was asked for: one large
	// array would take whole regions
	private static final int CHUNK = 64 * 1024;

	private static final List<byte[]> retained = new ArrayList<>();

	StaticLeak(int bytes) {
		synchronized (retained) {
			for (int left = bytes; left > 0; left -= CHUNK) {
				retained.add(new byte[Math.min(left, CHUNK)]);
			}
		}
	}

	// for tests that run several applications in one JVM
	static void release() {
		synchronized (retained) {
			retained.clear();
		}
	}

}
