package dev.recycling.memory;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * The memory of the JVM at one moment of a generation. A figure the platform does not give
 * is -1.
 *
 * @param at when it was taken
 * @param requests application requests the generation had completed by then
 * @param heapAfterGcBytes heap still used after the last collection of each heap pool
 * @param heapMaxBytes the maximum heap
 * @param rssBytes resident set size of the process (Linux), or -1
 * @param metaspaceBytes metaspace used
 * @param directBufferBytes direct byte buffers allocated
 * @param liveThreads live threads
 * @param openFileDescriptors open file descriptors (Linux), or -1
 * @param loadedClasses classes loaded now
 * @param collections garbage collections the JVM had run by then, of all collectors
 * @param wholeHeapCollected whether {@code heapAfterGcBytes} follows a collection of the
 * whole heap (a full or mixed collection, or any collection of a collector without
 * generations): after a young collection it still holds the old generation's garbage
 * @author recycling team
 */
public record MemorySnapshot(Instant at, long requests, long heapAfterGcBytes, long heapMaxBytes, long rssBytes,
		long metaspaceBytes, long directBufferBytes, int liveThreads, long openFileDescriptors, int loadedClasses,
		long collections, boolean wholeHeapCollected) {

	private static final long MEGABYTE = 1024 * 1024;

	MemorySnapshot withHeapAfterGc(long bytes, boolean wholeHeap) {
		return new MemorySnapshot(this.at, this.requests, bytes, this.heapMaxBytes, this.rssBytes, this.metaspaceBytes,
				this.directBufferBytes, this.liveThreads, this.openFileDescriptors, this.loadedClasses,
				this.collections, wholeHeap);
	}

	/**
	 * Describe what changed from one snapshot to another, in words for a log line, such as
	 * {@code heap after GC 212 MB -> 388 MB (+176 MB), threads 41 -> 41}.
	 * @param start the earlier snapshot, or {@code null} when there is none
	 * @param end the later snapshot
	 * @return the description
	 */
	public static String describeChange(@Nullable MemorySnapshot start, MemorySnapshot end) {
		if (start == null) {
			return String.format("heap after GC %d MB, threads %d, classes %d (ended before its warm-up snapshot)",
					end.heapAfterGcBytes() / MEGABYTE, end.liveThreads(), end.loadedClasses());
		}
		StringBuilder change = new StringBuilder();
		change.append(String.format("heap after GC %d MB -> %d MB (%+d MB)", start.heapAfterGcBytes() / MEGABYTE,
				end.heapAfterGcBytes() / MEGABYTE, (end.heapAfterGcBytes() - start.heapAfterGcBytes()) / MEGABYTE));
		if (start.rssBytes() >= 0 && end.rssBytes() >= 0) {
			change.append(String.format(", RSS %d MB -> %d MB", start.rssBytes() / MEGABYTE, end.rssBytes() / MEGABYTE));
		}
		change.append(String.format(", threads %d -> %d", start.liveThreads(), end.liveThreads()));
		if (start.openFileDescriptors() >= 0 && end.openFileDescriptors() >= 0) {
			change.append(String.format(", file descriptors %d -> %d", start.openFileDescriptors(),
					end.openFileDescriptors()));
		}
		change.append(String.format(", classes %d -> %d", start.loadedClasses(), end.loadedClasses()));
		return change.toString();
	}

}
