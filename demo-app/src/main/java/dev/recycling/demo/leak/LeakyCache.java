package dev.recycling.demo.leak;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A deliberate leak, to show leak diagnosis end to end: it keeps an entry of a fixed size for
 * every API request and never lets go, like a cache without eviction. It lives in the
 * generation's context, so a recycle frees it, and the next generation leaks again.
 *
 * @author recycling team
 */
public final class LeakyCache {

	private final int bytesPerRequest;

	private final ConcurrentLinkedQueue<Entry> entries = new ConcurrentLinkedQueue<>();

	private final AtomicLong retained = new AtomicLong();

	/**
	 * Create the cache.
	 * @param bytesPerRequest bytes kept per request, 0 for none
	 */
	public LeakyCache(int bytesPerRequest) {
		this.bytesPerRequest = bytesPerRequest;
	}

	/**
	 * Keep another entry, if this cache leaks at all.
	 */
	public void retain() {
		if (this.bytesPerRequest > 0) {
			this.entries.add(new Entry(new byte[this.bytesPerRequest]));
			this.retained.addAndGet(this.bytesPerRequest);
		}
	}

	/**
	 * Return the bytes kept so far.
	 * @return the retained bytes
	 */
	public long retainedBytes() {
		return this.retained.get();
	}

	/**
	 * One leaked entry; its class is what a class histogram shows growing.
	 *
	 * @param payload the retained bytes
	 */
	record Entry(byte[] payload) {

	}

}
