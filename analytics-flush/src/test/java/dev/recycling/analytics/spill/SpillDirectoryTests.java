package dev.recycling.analytics.spill;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import dev.recycling.analytics.spill.SpillDirectory.SpilledBatch;
import dev.recycling.analytics.task.AnalyticsBatch;
import dev.recycling.analytics.task.BatchCodec;
import dev.recycling.analytics.testsupport.Batches;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link SpillDirectory} on the real file system.
 */
class SpillDirectoryTests {

	@TempDir
	Path directory;

	@Test
	void spilledBatchesAreLoadedBackAndRemoved() {
		SpillDirectory spill = new SpillDirectory(this.directory.resolve("spill"), new BatchCodec());
		AnalyticsBatch first = Batches.of("env", 3, 2, 4);
		AnalyticsBatch second = Batches.of("env", 1, 1, 1);
		Path file = spill.spill(first);
		spill.spill(second);
		assertThat(file).hasFileName(first.id() + ".batch");
		assertThat(spill.count()).isEqualTo(2);
		List<SpilledBatch> loaded = spill.load();
		assertThat(loaded).extracting(SpilledBatch::batch).containsExactlyInAnyOrder(first, second);
		loaded.forEach(spill::remove);
		assertThat(spill.count()).isZero();
		assertThat(spill.load()).isEmpty();
	}

	@Test
	void aMissingDirectoryHoldsNothing() {
		SpillDirectory spill = new SpillDirectory(this.directory.resolve("never-created"), new BatchCodec());
		assertThat(spill.load()).isEmpty();
		assertThat(spill.count()).isZero();
	}

	@Test
	void corruptAndIncompleteFilesAreQuarantinedAndTheOthersStillLoad() throws Exception {
		SpillDirectory spill = new SpillDirectory(this.directory, new BatchCodec());
		AnalyticsBatch good = Batches.of("env", 2, 2, 1);
		spill.spill(good);
		Path damaged = spill.spill(Batches.of("env", 50, 50, 1));
		byte[] bytes = Files.readAllBytes(damaged);
		bytes[bytes.length / 2] ^= 0x33;
		Files.write(damaged, bytes);
		Files.writeString(this.directory.resolve("garbage.batch"), "not a batch");
		Path crashed = Files.writeString(this.directory.resolve("crashed.batch.tmp"), "half");
		Files.setLastModifiedTime(crashed, FileTime.from(Instant.now().minus(Duration.ofMinutes(2))));
		Path writing = Files.writeString(this.directory.resolve("being-written.batch.tmp"), "half");
		assertThat(spill.load()).extracting(SpilledBatch::batch).containsExactly(good);
		assertThat(spill.quarantinedCount()).isEqualTo(3);
		assertThat(this.directory.resolve(SpillDirectory.QUARANTINE)).isDirectoryContaining("glob:**/garbage.batch")
			.isDirectoryContaining("glob:**/crashed.batch.tmp")
			.isDirectoryContaining("glob:**/" + damaged.getFileName());
		assertThat(spill.count()).isEqualTo(1);
		assertThat(writing).as("a spill being written right now is left alone").exists();
	}

	@Test
	void filesAreListedWithoutBeingReadAndReadOneAtATime() {
		SpillDirectory spill = new SpillDirectory(this.directory, new BatchCodec());
		AnalyticsBatch batch = Batches.of("env", 2, 2, 1);
		Path file = spill.spill(batch);
		assertThat(spill.files()).containsExactly(file);
		assertThat(spill.read(file)).extracting(SpilledBatch::batch).isEqualTo(batch);
		spill.remove(spill.read(file));
		assertThat(spill.read(file)).as("gone meanwhile").isNull();
	}

	@Test
	void aWritableDirectoryPassesTheCheckAndIsCreatedByIt() {
		SpillDirectory spill = new SpillDirectory(this.directory.resolve("new/spill"), new BatchCodec());
		assertThat(spill.checkWritable()).isNull();
		assertThat(this.directory.resolve("new/spill")).isEmptyDirectory();
	}

	@Test
	void aRegularFileFailsTheCheck() throws Exception {
		Path file = Files.writeString(this.directory.resolve("a-file"), "x");
		assertThat(new SpillDirectory(file, new BatchCodec()).checkWritable()).isEqualTo(file + " is not a directory");
		assertThat(new SpillDirectory(file.resolve("spill"), new BatchCodec()).checkWritable())
			.startsWith("cannot write to " + file.resolve("spill"));
	}

	@Test
	void aPathNobodyCanWriteFailsTheCheck() {
		// /proc takes no new directory, not even from root
		assertThat(new SpillDirectory(Path.of("/proc/analytics-spill"), new BatchCodec()).checkWritable())
			.startsWith("cannot write to /proc/analytics-spill");
	}

	@Test
	void spillThatCannotBeWrittenSaysWhere() throws Exception {
		Path file = Files.writeString(this.directory.resolve("a-file"), "x");
		SpillDirectory spill = new SpillDirectory(file.resolve("spill"), new BatchCodec());
		assertThatExceptionOfType(RuntimeException.class).isThrownBy(() -> spill.spill(Batches.of("env", 1, 1, 1)))
			.withMessageContaining(file.resolve("spill").toString());
	}

}
