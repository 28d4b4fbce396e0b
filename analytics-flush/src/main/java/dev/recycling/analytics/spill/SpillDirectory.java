package dev.recycling.analytics.spill;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import dev.recycling.analytics.task.AnalyticsBatch;
import dev.recycling.analytics.task.BatchCodec;
import dev.recycling.analytics.task.CorruptBatchException;
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
			Path temporary = this.directory.resolve(batch.id() + TEMPORARY_SUFFIX);
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
	 * @return the batches with their files
	 */
	public List<SpilledBatch> load() {
		if (!Files.isDirectory(this.directory)) {
			return List.of();
		}
		List<Path> files = new ArrayList<>();
		try (DirectoryStream<Path> entries = Files.newDirectoryStream(this.directory)) {
			for (Path entry : entries) {
				String name = entry.getFileName().toString();
				if (Files.isRegularFile(entry) && (name.endsWith(SUFFIX) || name.endsWith(TEMPORARY_SUFFIX))) {
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
		List<SpilledBatch> batches = new ArrayList<>();
		for (Path file : files) {
			if (file.getFileName().toString().endsWith(TEMPORARY_SUFFIX)) {
				quarantine(file, "an incomplete spill (the process stopped while writing it)");
				continue;
			}
			try {
				batches.add(new SpilledBatch(file, this.codec.decode(Files.readAllBytes(file))));
			}
			catch (CorruptBatchException ex) {
				quarantine(file, ex.getMessage());
			}
			catch (IOException ex) {
				logger.error("Could not read spill file {}; leaving it for the next replay", file, ex);
			}
		}
		return batches;
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
