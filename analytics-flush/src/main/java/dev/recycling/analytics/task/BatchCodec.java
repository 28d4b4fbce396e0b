package dev.recycling.analytics.task;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

import dev.recycling.analytics.cache.ApiUsageKey;
import dev.recycling.analytics.cache.FeatureEvaluationKey;
import dev.recycling.analytics.cache.Labels;
import dev.recycling.analytics.cache.UsageCount;

/**
 * Encodes a batch to bytes and back: the task data in the database and the content of a
 * spill file.
 * <p>
 * Format version 1: the magic {@code RCAB}, a version byte, then a gzip stream (whose CRC
 * catches damage) of: id, creation time, trigger, a table of distinct strings, a table of
 * distinct label sets, and the entries, which refer to both tables by index. A key's
 * strings are written once however many minutes it has.
 *
 * @author recycling team
 */
public final class BatchCodec {

	/**
	 * The format version this codec writes.
	 */
	public static final int VERSION = 1;

	private static final byte[] MAGIC = { 'R', 'C', 'A', 'B' };

	/**
	 * Encode a batch.
	 * @param batch the batch
	 * @return the bytes
	 */
	public byte[] encode(AnalyticsBatch batch) {
		Tables tables = new Tables();
		for (UsageCount<ApiUsageKey> count : batch.apiUsage()) {
			ApiUsageKey key = count.key();
			tables.string(key.resource());
			tables.string(key.host());
			tables.string(key.environmentKey());
			tables.labels(key.labels());
		}
		for (UsageCount<FeatureEvaluationKey> count : batch.featureEvaluations()) {
			FeatureEvaluationKey key = count.key();
			tables.string(key.feature());
			tables.string(key.environmentKey());
			tables.labels(key.labels());
		}
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		try {
			bytes.write(MAGIC);
			bytes.write(VERSION);
			try (DataOutputStream out = new DataOutputStream(new GZIPOutputStream(bytes, 64 * 1024))) {
				out.writeLong(batch.id().getMostSignificantBits());
				out.writeLong(batch.id().getLeastSignificantBits());
				out.writeLong(batch.createdAt().toEpochMilli());
				out.writeUTF(batch.trigger());
				out.writeInt(tables.strings.size());
				for (String string : tables.strings.keySet()) {
					out.writeUTF(string);
				}
				out.writeInt(tables.labels.size());
				for (Labels labels : tables.labels.keySet()) {
					out.writeByte(labels.size());
					for (Map.Entry<String, String> label : labels.asMap().entrySet()) {
						out.writeInt(tables.strings.get(label.getKey()));
						out.writeInt(tables.strings.get(label.getValue()));
					}
				}
				out.writeInt(batch.apiUsage().size());
				for (UsageCount<ApiUsageKey> count : batch.apiUsage()) {
					ApiUsageKey key = count.key();
					out.writeLong(count.minute());
					out.writeInt(tables.strings.get(key.resource()));
					out.writeInt(tables.strings.get(key.host()));
					out.writeInt(tables.strings.get(key.environmentKey()));
					out.writeInt(tables.labels.get(key.labels()));
					out.writeLong(count.count());
				}
				out.writeInt(batch.featureEvaluations().size());
				for (UsageCount<FeatureEvaluationKey> count : batch.featureEvaluations()) {
					FeatureEvaluationKey key = count.key();
					out.writeLong(count.minute());
					out.writeInt(tables.strings.get(key.feature()));
					out.writeInt(tables.strings.get(key.environmentKey()));
					out.writeInt(tables.labels.get(key.labels()));
					out.writeLong(count.count());
				}
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not encode batch " + batch.id(), ex);
		}
		return bytes.toByteArray();
	}

	/**
	 * Decode a batch.
	 * @param bytes the bytes
	 * @return the batch
	 * @throws CorruptBatchException if the bytes are not a complete batch of a known version
	 */
	public AnalyticsBatch decode(byte[] bytes) throws CorruptBatchException {
		if (bytes.length < MAGIC.length + 1) {
			throw new CorruptBatchException("Too short for a batch: " + bytes.length + " bytes");
		}
		for (int i = 0; i < MAGIC.length; i++) {
			if (bytes[i] != MAGIC[i]) {
				throw new CorruptBatchException("Not a batch: the bytes do not start with RCAB");
			}
		}
		int version = bytes[MAGIC.length];
		if (version != VERSION) {
			throw new CorruptBatchException("Unsupported batch format version " + version + "; this version reads "
					+ VERSION + ". Replay it with the release that wrote it");
		}
		try (DataInputStream in = new DataInputStream(new GZIPInputStream(
				new ByteArrayInputStream(bytes, MAGIC.length + 1, bytes.length - MAGIC.length - 1)))) {
			UUID id = new UUID(in.readLong(), in.readLong());
			Instant createdAt = Instant.ofEpochMilli(in.readLong());
			String trigger = in.readUTF();
			List<String> strings = new ArrayList<>();
			int stringCount = size(in.readInt(), "strings");
			for (int i = 0; i < stringCount; i++) {
				strings.add(in.readUTF());
			}
			List<Labels> labels = new ArrayList<>();
			int labelCount = size(in.readInt(), "label sets");
			for (int i = 0; i < labelCount; i++) {
				int pairs = in.readUnsignedByte();
				Map<String, String> map = new TreeMap<>();
				for (int pair = 0; pair < pairs; pair++) {
					map.put(at(strings, in.readInt()), at(strings, in.readInt()));
				}
				labels.add(Labels.of(map));
			}
			int apiCount = size(in.readInt(), "API-usage entries");
			List<UsageCount<ApiUsageKey>> apiUsage = new ArrayList<>(apiCount);
			for (int i = 0; i < apiCount; i++) {
				long minute = in.readLong();
				ApiUsageKey key = new ApiUsageKey(at(strings, in.readInt()), at(strings, in.readInt()),
						at(strings, in.readInt()), at(labels, in.readInt()));
				apiUsage.add(new UsageCount<>(minute, key, positive(in.readLong())));
			}
			int evaluationCount = size(in.readInt(), "feature-evaluation entries");
			List<UsageCount<FeatureEvaluationKey>> evaluations = new ArrayList<>(evaluationCount);
			for (int i = 0; i < evaluationCount; i++) {
				long minute = in.readLong();
				FeatureEvaluationKey key = new FeatureEvaluationKey(at(strings, in.readInt()),
						at(strings, in.readInt()), at(labels, in.readInt()));
				evaluations.add(new UsageCount<>(minute, key, positive(in.readLong())));
			}
			if (in.read() != -1) {
				throw new CorruptBatchException("Batch " + id + " has bytes after its last entry");
			}
			return new AnalyticsBatch(id, createdAt, trigger, apiUsage, evaluations);
		}
		catch (CorruptBatchException ex) {
			throw ex;
		}
		catch (EOFException ex) {
			throw new CorruptBatchException("Batch is truncated", ex);
		}
		catch (IOException | IllegalArgumentException ex) {
			throw new CorruptBatchException("Batch is damaged: " + ex.getMessage(), ex);
		}
	}

	private static int size(int size, String what) throws CorruptBatchException {
		if (size < 0) {
			throw new CorruptBatchException("Negative number of " + what + ": " + size);
		}
		return size;
	}

	private static long positive(long count) throws CorruptBatchException {
		if (count <= 0) {
			throw new CorruptBatchException("Count must be positive: " + count);
		}
		return count;
	}

	private static <T> T at(List<T> table, int index) throws CorruptBatchException {
		if (index < 0 || index >= table.size()) {
			throw new CorruptBatchException("Index " + index + " outside a table of " + table.size());
		}
		return table.get(index);
	}

	private static final class Tables {

		final Map<String, Integer> strings = new LinkedHashMap<>();

		final Map<Labels, Integer> labels = new LinkedHashMap<>();

		void string(String string) {
			this.strings.putIfAbsent(string, this.strings.size());
		}

		void labels(Labels labels) {
			if (!this.labels.containsKey(labels)) {
				labels.forEach((name, value) -> {
					string(name);
					string(value);
				});
				this.labels.put(labels, this.labels.size());
			}
		}

	}

}
