package dev.recycling.restart.jetty;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.eclipse.jetty.session.AbstractSessionDataStore;
import org.eclipse.jetty.session.SessionData;

/**
 * Jetty's session data of every generation, in one map that outlives generations: the
 * store of each generation's session cache. Kept as the objects themselves, not
 * serialized, so that while two generations overlap a change made in either is seen by
 * both at once.
 * <p>
 * {@link SessionData} holds values only (attributes, times, the id), nothing of the
 * generation whose handler created it.
 *
 * @author recycling team
 */
public final class SharedSessionDataStore extends AbstractSessionDataStore {

	private final Map<String, SessionData> sessions;

	SharedSessionDataStore(Sessions sessions) {
		this.sessions = sessions.map;
	}

	@Override
	public boolean isPassivating() {
		return false;
	}

	@Override
	public boolean doExists(String id) {
		SessionData data = this.sessions.get(id);
		return data != null && !data.isExpiredAt(System.currentTimeMillis());
	}

	@Override
	public void doStore(String id, SessionData data, long lastSaveTime) {
		this.sessions.put(id, data);
	}

	@Override
	public SessionData doLoad(String id) {
		return this.sessions.get(id);
	}

	@Override
	public boolean delete(String id) {
		return this.sessions.remove(id) != null;
	}

	@Override
	public Set<String> doCheckExpired(Set<String> candidates, long time) {
		Set<String> expired = new HashSet<>();
		for (String id : candidates) {
			SessionData data = this.sessions.get(id);
			if (data == null || data.isExpiredAt(time)) {
				expired.add(id);
			}
		}
		return expired;
	}

	@Override
	public Set<String> doGetExpired(long time) {
		Set<String> expired = new HashSet<>();
		this.sessions.forEach((id, data) -> {
			if (data.isExpiredAt(time)) {
				expired.add(id);
			}
		});
		return expired;
	}

	@Override
	public void doCleanOrphans(long time) {
		this.sessions.values().removeIf((data) -> data.isExpiredAt(time));
	}

	/**
	 * The session data that every generation's store shares, kept by the recycler.
	 */
	public static final class Sessions {

		final Map<String, SessionData> map = new ConcurrentHashMap<>();

	}

}
