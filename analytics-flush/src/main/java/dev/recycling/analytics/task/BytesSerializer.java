package dev.recycling.analytics.task;

import com.github.kagkarlsson.scheduler.serializer.Serializer;
import org.jspecify.annotations.Nullable;

/**
 * Stores task data as the bytes it already is: the batch has its own versioned encoding, so
 * no Java serialization (and none of its deserialization risks) in the task table. A task
 * without data (the housekeeping) stores none.
 *
 * @author recycling team
 */
public final class BytesSerializer implements Serializer {

	@Override
	public byte @Nullable [] serialize(@Nullable Object data) {
		// a task without data, such as the recurring housekeeping
		if (data == null) {
			return null;
		}
		if (data instanceof byte[] bytes) {
			return bytes;
		}
		throw new IllegalArgumentException("Only byte[] task data is stored in the analytics task table, not "
				+ data.getClass().getName());
	}

	@Override
	public <T> @Nullable T deserialize(Class<T> type, byte @Nullable [] serializedData) {
		if (serializedData == null || type == Void.class) {
			return null;
		}
		if (type != byte[].class) {
			throw new IllegalArgumentException("Only byte[] task data is stored in the analytics task table, not "
					+ type.getName());
		}
		return type.cast(serializedData);
	}

}
