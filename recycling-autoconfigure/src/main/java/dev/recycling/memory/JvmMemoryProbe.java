package dev.recycling.memory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

import org.jspecify.annotations.Nullable;

/**
 * Reads memory from the JVM's management beans and, on Linux, {@code /proc/self/status}.
 * <p>
 * Heap after GC is the sum of each heap pool's collection usage (what the pool held right
 * after its last collection), not the instantaneous heap use, which rises and falls with
 * garbage. RSS is {@code VmRSS}; elsewhere it is unknown and the RSS trigger stays off.
 *
 * @author recycling team
 */
public final class JvmMemoryProbe implements MemoryProbe {

	private static final Path STATUS = Path.of("/proc/self/status");

	private static final Path FILE_DESCRIPTORS = Path.of("/proc/self/fd");

	private final List<MemoryPoolMXBean> heapPools = ManagementFactory.getMemoryPoolMXBeans()
		.stream()
		.filter((pool) -> pool.getType() == MemoryType.HEAP && pool.isCollectionUsageThresholdSupported())
		.toList();

	private final Path status;

	/**
	 * Create a probe of this JVM.
	 */
	public JvmMemoryProbe() {
		this(STATUS);
	}

	JvmMemoryProbe(Path status) {
		this.status = status;
	}

	@Override
	public double heapAfterGcPercent() {
		long max = Runtime.getRuntime().maxMemory();
		if (max <= 0 || max == Long.MAX_VALUE || this.heapPools.isEmpty()) {
			return Double.NaN;
		}
		return 100.0 * heapAfterGcBytes() / max;
	}

	@Override
	public long @Nullable [] heapAfterGcByPool() {
		if (this.heapPools.isEmpty()) {
			return null;
		}
		long[] used = new long[this.heapPools.size()];
		for (int i = 0; i < used.length; i++) {
			MemoryUsage afterGc = this.heapPools.get(i).getCollectionUsage();
			used[i] = (afterGc != null) ? afterGc.getUsed() : -1;
		}
		return used;
	}

	private long heapAfterGcBytes() {
		long used = 0;
		for (MemoryPoolMXBean pool : this.heapPools) {
			MemoryUsage afterGc = pool.getCollectionUsage();
			if (afterGc != null) {
				used += afterGc.getUsed();
			}
		}
		return used;
	}

	/**
	 * Take a snapshot of this JVM's memory.
	 * @param requests the generation's completed requests, recorded with it
	 * @return the snapshot
	 */
	public MemorySnapshot snapshot(long requests) {
		long metaspace = ManagementFactory.getMemoryPoolMXBeans()
			.stream()
			.filter((pool) -> "Metaspace".equals(pool.getName()))
			.mapToLong((pool) -> pool.getUsage().getUsed())
			.sum();
		long direct = ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)
			.stream()
			.filter((pool) -> "direct".equals(pool.getName()))
			.mapToLong(BufferPoolMXBean::getMemoryUsed)
			.sum();
		return new MemorySnapshot(Instant.now(), requests, heapAfterGcBytes(), Runtime.getRuntime().maxMemory(),
				residentSetBytes(), metaspace, direct, ManagementFactory.getThreadMXBean().getThreadCount(),
				openFileDescriptors(), ManagementFactory.getClassLoadingMXBean().getLoadedClassCount(), collections(),
				false);
	}

	private static long collections() {
		return ManagementFactory.getGarbageCollectorMXBeans()
			.stream()
			.mapToLong(GarbageCollectorMXBean::getCollectionCount)
			.filter((count) -> count > 0)
			.sum();
	}

	private static long openFileDescriptors() {
		if (!Files.isDirectory(FILE_DESCRIPTORS)) {
			return -1;
		}
		try (Stream<Path> entries = Files.list(FILE_DESCRIPTORS)) {
			// less the one this listing holds open
			return Math.max(0, entries.count() - 1);
		}
		catch (IOException | UncheckedIOException ex) {
			return -1;
		}
	}

	@Override
	public long residentSetBytes() {
		if (!Files.isReadable(this.status)) {
			return -1;
		}
		try {
			for (String line : Files.readAllLines(this.status, StandardCharsets.US_ASCII)) {
				if (line.startsWith("VmRSS:")) {
					return parseKilobytes(line.substring("VmRSS:".length())) * 1024;
				}
			}
			return -1;
		}
		catch (IOException | NumberFormatException ex) {
			return -1;
		}
	}

	// "   123456 kB"
	private static long parseKilobytes(String value) {
		String trimmed = value.strip();
		int space = trimmed.indexOf(' ');
		return Long.parseLong((space >= 0) ? trimmed.substring(0, space) : trimmed);
	}

	/**
	 * Return whether the resident set size can be read here.
	 * @return whether RSS is known
	 */
	public boolean residentSetKnown() {
		return residentSetBytes() >= 0;
	}

}
