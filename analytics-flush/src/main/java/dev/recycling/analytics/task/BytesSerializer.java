package dev.recycling.analytics.task;

import com.github.kagkarlsson.scheduler.serializer.Serializer;

/**
 * Stores task data as the bytes it already is: the batch has its own versioned encoding, so
 * no Java serialization (and none of its deserialization risks) in the task table.
 *
 * @author recycling team
 */
public final class BytesSerializer implements Serializer {

	@Override
	public byte[] serialize(Object data) {
		if (data instanceof byte[] bytes) {
			return bytes;
		}
		throw new IllegalArgumentException("Only byte[] task data is stored in the analytics task table, not "
				+ data.getClass().getName());
	}

	@Override
	public <T> T deserialize(Class<T> type, byte[] serializedData) {
		if (type != byte[].class) {
			throw new IllegalArgumentException("Only byte[] task data is stored in the analytics task table, not "
					+ type.getName());
		}
		return type.cast(serializedData);
	}

}
