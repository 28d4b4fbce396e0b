package dev.recycling.memory;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongConsumer;
import java.util.stream.Collectors;

import javax.management.ListenerNotFoundException;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

import com.sun.management.GarbageCollectionNotificationInfo;
import com.sun.management.GcInfo;

/**
 * Tells a generation's recorder about every garbage collection of this JVM, from the
 * collectors' notifications, with the heap used right after it, so that each heap-after-GC
 * sample is paired with the requests served at its moment. A pool's collection usage would
 * not do for this: G1 updates its old generation's only after mixed and full collections. Closed with the generation: a listener left behind would keep
 * the generation reachable.
 *
 * @author recycling team
 */
public final class CollectionListener implements AutoCloseable {

	private final List<NotificationEmitter> emitters = new ArrayList<>();

	private final NotificationListener listener;

	private CollectionListener(LongConsumer onCollection) {
		Set<String> heapPools = ManagementFactory.getMemoryPoolMXBeans()
			.stream()
			.filter((pool) -> pool.getType() == MemoryType.HEAP)
			.map(MemoryPoolMXBean::getName)
			.collect(Collectors.toSet());
		this.listener = (Notification notification, Object handback) -> {
			GcInfo info = GarbageCollectionNotificationInfo
				.from((CompositeData) notification.getUserData())
				.getGcInfo();
			long heapAfterGc = 0;
			for (Map.Entry<String, MemoryUsage> pool : info.getMemoryUsageAfterGc().entrySet()) {
				if (heapPools.contains(pool.getKey())) {
					heapAfterGc += pool.getValue().getUsed();
				}
			}
			onCollection.accept(heapAfterGc);
		};
	}

	/**
	 * Listen to every collector of this JVM that sends notifications.
	 * @param onCollection called on the JVM's notification thread after each collection,
	 * with the heap used right after it (every heap pool, also those the collection did not
	 * touch, such as the old generation after a young collection)
	 * @return the listener, to close when the generation ends
	 */
	public static CollectionListener register(LongConsumer onCollection) {
		CollectionListener collections = new CollectionListener(onCollection);
		for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
			if (collector instanceof NotificationEmitter emitter) {
				emitter.addNotificationListener(collections.listener, (notification) -> GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION
					.equals(notification.getType()), null);
				collections.emitters.add(emitter);
			}
		}
		return collections;
	}

	@Override
	public void close() {
		for (NotificationEmitter emitter : this.emitters) {
			try {
				emitter.removeNotificationListener(this.listener);
			}
			catch (ListenerNotFoundException ex) {
				// already gone
			}
		}
		this.emitters.clear();
	}

}
