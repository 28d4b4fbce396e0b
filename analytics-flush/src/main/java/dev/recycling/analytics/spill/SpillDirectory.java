package dev.recycling.analytics.spill;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import dev.recycling.analytics.task.AnalyticsBatch;
import dev.recycling.analytics.task.BatchCodec;
import dev.recycling.analytics.task.CorruptBatchException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Batches that could not be enqueued, kept as files until they can be.
 * <p>
 * A spill writes {@code <batch id>.batch} atomically: to a temporary file first, forced to
 * disk, then renamed, and the directory forced too. So a file with the final name is
 * always complete. A file that does not decode (damaged, truncated, from an unknown format
 * version) or a temporary file left by a crash is moved to {@code quarantine/} and
 * reported; it never stops the replay of the others.
 *
 * @author recycling team
 */
public final class SpillDirectory {

	private static final Logger logger = LoggerFactory.getLogger(SpillDirectory.class);

	private static final String SUFFIX = ".batch";

	private static final String TEMPORARY_SUFFIX = ".batch.tmp";

	// an incomplete spill older than this was left by a process that stopped while writing it
	private static final Duration ABANDONED_AFTER = Duration.ofMinutes(1);

	/**
	 * Name of the subdirectory that receives files that could not be read.
	 */
	public static final String QUARANTINE = "quarantine";

	private final Path directory;

	private final BatchCodec codec;

	private final AtomicLong quarantined = new AtomicLong();

	/**
	 * Create a spill directory; the directory itself is created on the first spill.
	 * @param directory the directory
	 * @param codec encodes and decodes the batches
	 */
	public SpillDirectory(Path directory, BatchCodec codec) {
		this.directory = directory.toAbsolutePath();
		this.codec = codec;
	}

	/**
	 * Write a batch to disk, durably.
	 * @param batch the batch
	 * @return the file written
	 * @throws UncheckedIOException if it could not be written
	 */
	public Path spill(AnalyticsBatch batch) {
		try {
			Files.createDirectories(this.directory);
			// a name of its own: two flushes spilling the same batch never write one file
			Path temporary = this.directory.resolve(batch.id() + "." + UUID.randomUUID() + TEMPORARY_SUFFIX);
			Path target = this.directory.resolve(batch.id() + SUFFIX);
			try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE,
					StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
				ByteBuffer bytes = ByteBuffer.wrap(this.codec.encode(batch));
				while (bytes.hasRemaining()) {
					channel.write(bytes);
				}
				channel.force(true);
			}
			move(temporary, target);
			forceDirectory();
			return target;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not spill analytics batch " + batch.id() + " to " + this.directory,
					ex);
		}
	}

	/**
	 * Read every spilled batch, oldest first. Files that cannot be read are quarantined.
	 * This holds every batch in memory at once: a replay reads one {@link #files() file} at
	 * a time instead.
	 * @return the batches with their files
	 */
	public List<SpilledBatch> load() {
		List<SpilledBatch> batches = new ArrayList<>();
		for (Path file : files()) {
			SpilledBatch batch = read(file);
			if (batch != null) {
				batches.add(batch);
			}
		}
		return batches;
	}

	/**
	 * Return the spill files, oldest first, without reading them; incomplete spills left by
	 * a crash are quarantined.
	 * @return the files
	 */
	public List<Path> files() {
		if (!Files.isDirectory(this.directory)) {
			return List.of();
		}
		List<Path> files = new ArrayList<>();
		try (DirectoryStream<Path> entries = Files.newDirectoryStream(this.directory)) {
			for (Path entry : entries) {
				String name = entry.getFileName().toString();
				if (!Files.isRegularFile(entry)) {
					continue;
				}
				if (name.endsWith(TEMPORARY_SUFFIX)) {
					if (isAbandoned(entry)) {
						quarantine(entry, "an incomplete spill (the process stopped while writing it)");
					}
				}
				else if (name.endsWith(SUFFIX)) {
					files.add(entry);
				}
			}
		}
		catch (IOException ex) {
			logger.error("Could not list the spill directory {}; spilled analytics batches stay there until it can be "
					+ "read", this.directory, ex);
			return List.of();
		}
		files.sort(Comparator.comparing(SpillDirectory::lastModified).thenComparing(Path::toString));
		return files;
	}

	/**
	 * Read one spill file; a file that does not decode is quarantined.
	 * @param file a file from {@link #files()}
	 * @return the batch, or {@code null} if the file is gone, unreadable or quarantined
	 */
	public @Nullable SpilledBatch read(Path file) {
		try {
			return new SpilledBatch(file, this.codec.decode(Files.readAllBytes(file)));
		}
		catch (CorruptBatchException ex) {
			quarantine(file, ex.getMessage());
		}
		catch (NoSuchFileException ex) {
			// replayed and removed by another flush meanwhile
		}
		catch (IOException ex) {
			logger.error("Could not read spill file {}; leaving it for the next replay", file, ex);
		}
		return null;
	}

	/**
	 * Check that batches can be spilled here: create the directory and write, force and
	 * delete a probe file.
	 * @return why not, or {@code null} if they can
	 */
	public @Nullable String checkWritable() {
		Path probe = this.directory.resolve(".probe-" + UUID.randomUUID() + TEMPORARY_SUFFIX);
		try {
			Files.createDirectories(this.directory);
			try (FileChannel channel = FileChannel.open(probe, StandardOpenOption.CREATE_NEW,
					StandardOpenOption.WRITE)) {
				channel.write(ByteBuffer.wrap(new byte[] { 1 }));
				channel.force(true);
			}
			Files.delete(probe);
			return null;
		}
		catch (IOException | UnsupportedOperationException | SecurityException ex) {
			try {
				Files.deleteIfExists(probe);
			}
			catch (IOException | SecurityException ignored) {
				// the directory cannot take a file: nothing was left behind
			}
			return describe(ex);
		}
	}

	private String describe(Exception ex) {
		if (Files.exists(this.directory) && !Files.isDirectory(this.directory)) {
			return this.directory + " is not a directory";
		}
		if (ex instanceof FileSystemException fileSystem && fileSystem.getReason() != null) {
			return "cannot write to " + this.directory + " (" + fileSystem.getReason() + ")";
		}
		return "cannot write to " + this.directory + " (" + ex.getClass().getSimpleName() + ": " + ex.getMessage()
				+ ")";
	}

	// a temporary file this process is writing right now is young; one left by a crash is not
	private static boolean isAbandoned(Path temporary) {
		return System.currentTimeMillis() - lastModified(temporary) > ABANDONED_AFTER.toMillis();
	}

	/**
	 * Remove the file of a batch once it is enqueued.
	 * @param spilled the spilled batch
	 */
	public void remove(SpilledBatch spilled) {
		try {
			Files.deleteIfExists(spilled.file());
		}
		catch (IOException ex) {
			// enqueuing it again is harmless: the batch id makes it a no-op
			logger.warn("Could not delete spill file {}; it will be replayed again, which is harmless", spilled.file(),
					ex);
		}
	}

	/**
	 * Return how many batches are spilled, waiting for replay.
	 * @return the number of spill files
	 */
	public long count() {
		if (!Files.isDirectory(this.directory)) {
			return 0;
		}
		try (DirectoryStream<Path> entries = Files.newDirectoryStream(this.directory, "*" + SUFFIX)) {
			long count = 0;
			for (Path ignored : entries) {
				count++;
			}
			return count;
		}
		catch (IOException ex) {
			return 0;
		}
	}

	/**
	 * Return how many files this instance has quarantined since it started.
	 * @return the number of quarantined files
	 */
	public long quarantinedCount() {
		return this.quarantined.get();
	}

	/**
	 * Return the directory.
	 * @return the absolute path
	 */
	public Path directory() {
		return this.directory;
	}

	private void quarantine(Path file, String reason) {
		Path quarantine = this.directory.resolve(QUARANTINE);
		try {
			Files.createDirectories(quarantine);
			Path target = quarantine.resolve(file.getFileName());
			move(file, target);
			this.quarantined.incrementAndGet();
			logger.error("Spill file {} cannot be replayed ({}); moved it to {}. Its counts are not applied: inspect "
					+ "or delete it", file, reason, target);
		}
		catch (IOException ex) {
			logger.error("Spill file {} cannot be replayed ({}) and could not be moved to {}; skipping it", file, reason,
					quarantine, ex);
		}
	}

	private static void move(Path source, Path target) throws IOException {
		try {
			Files.move(source, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
		}
		catch (AtomicMoveNotSupportedException ex) {
			Files.move(source, target, StandardCopyOption.REPLACE_EXISTING);
		}
	}

	private void forceDirectory() {
		// makes the rename durable on Linux; not every platform can open a directory
		try (FileChannel channel = FileChannel.open(this.directory, StandardOpenOption.READ)) {
			channel.force(true);
		}
		catch (IOException ex) {
			logger.debug("Could not force the spill directory {} to disk", this.directory, ex);
		}
	}

	private static long lastModified(Path file) {
		try {
			return Files.getLastModifiedTime(file).toMillis();
		}
		catch (IOException ex) {
			return Long.MAX_VALUE;
		}
	}

	/**
	 * A batch read back from its spill file.
	 *
	 * @param file the file
	 * @param batch the batch
	 */
	public record SpilledBatch(Path file, AnalyticsBatch batch) {

	}

}
