package dev.recycling.restart.tomcat;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.catalina.Manager;
import org.apache.catalina.Session;
import org.jspecify.annotations.Nullable;

/**
 * The HTTP sessions of every generation's Tomcat, in one map: a session created in one
 * generation is the same object in the next, and while two generations overlap a change
 * made in either is seen by both.
 * <p>
 * A session points at the session manager of one generation (its events go to that
 * generation's listeners). A session stays with the generation that created or last
 * adopted it until that generation stops; then it moves to the newest generation still
 * running, or, in a sequential restart, to the next generation as it starts. So a session
 * never keeps a closed generation reachable.
 *
 * @author recycling team
 */
public final class SharedSessions {

	private final Map<String, Session> sessions = new ConcurrentHashMap<>();

	private final List<Manager> running = new CopyOnWriteArrayList<>();

	Map<String, Session> map() {
		return this.sessions;
	}

	/**
	 * A generation's manager starts: if no other one runs (a sequential restart, or the
	 * first generation), it adopts every session.
	 * @param manager the starting manager
	 */
	void started(Manager manager) {
		if (this.running.isEmpty()) {
			moveSessions(null, manager);
		}
		this.running.add(manager);
	}

	/**
	 * A generation's manager stops: its sessions move to the newest manager still running.
	 * @param manager the stopping manager
	 * @return whether another manager runs and took its sessions
	 */
	boolean stopped(Manager manager) {
		this.running.remove(manager);
		Manager successor = newestRunning();
		if (successor == null) {
			return false;
		}
		moveSessions(manager, successor);
		return true;
	}

	private @Nullable Manager newestRunning() {
		List<Manager> running = List.copyOf(this.running);
		return running.isEmpty() ? null : running.get(running.size() - 1);
	}

	// from null: every session, whichever manager it points at
	private void moveSessions(@Nullable Manager from, Manager to) {
		for (Session session : this.sessions.values()) {
			if (from == null || session.getManager() == from) {
				session.setManager(to);
			}
		}
	}

}
