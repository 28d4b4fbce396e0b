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

	private CollectionListener(Callback onCollection) {
		Set<String> heapPools = ManagementFactory.getMemoryPoolMXBeans()
			.stream()
			.filter((pool) -> pool.getType() == MemoryType.HEAP)
			.map(MemoryPoolMXBean::getName)
			.collect(Collectors.toSet());
		this.listener = (Notification notification, Object handback) -> {
			GarbageCollectionNotificationInfo collection = GarbageCollectionNotificationInfo
				.from((CompositeData) notification.getUserData());
			GcInfo info = collection.getGcInfo();
			long heapAfterGc = 0;
			boolean oldPools = false;
			boolean oldCollected = false;
			for (Map.Entry<String, MemoryUsage> pool : info.getMemoryUsageAfterGc().entrySet()) {
				if (heapPools.contains(pool.getKey())) {
					heapAfterGc += pool.getValue().getUsed();
					if (isOldGeneration(pool.getKey())) {
						oldPools = true;
						MemoryUsage before = info.getMemoryUsageBeforeGc().get(pool.getKey());
						// a young collection only adds to the old generation; a full or mixed one frees some
						oldCollected |= before != null && pool.getValue().getUsed() < before.getUsed();
					}
				}
			}
			boolean wholeHeap = !oldPools || oldCollected || "end of major GC".equals(collection.getGcAction());
			onCollection.collected(heapAfterGc, wholeHeap);
		};
	}

	// G1 Old Gen, PS Old Gen, Tenured Gen, ZGC Old Generation; collectors without
	// generations (ZGC before Java 21, Shenandoah) have one pool
	private static boolean isOldGeneration(String pool) {
		return pool.contains("Old") || pool.contains("Tenured");
	}

	/**
	 * Listen to every collector of this JVM that sends notifications.
	 * @param onCollection called on the JVM's notification thread after each collection,
	 * with the heap used right after it (every heap pool, also those the collection did not
	 * touch, such as the old generation after a young collection) and whether it collected
	 * the whole heap
	 * @return the listener, to close when the generation ends
	 */
	public static CollectionListener register(Callback onCollection) {
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

	/**
	 * Told about each collection.
	 */
	@FunctionalInterface
	public interface Callback {

		/**
		 * A collection has just ended.
		 * @param heapAfterGcBytes the heap used right after it
		 * @param wholeHeap whether it collected the whole heap: a full collection, a mixed
		 * one (G1: old regions freed), or any collection of a collector without generations
		 */
		void collected(long heapAfterGcBytes, boolean wholeHeap);

	}

}
