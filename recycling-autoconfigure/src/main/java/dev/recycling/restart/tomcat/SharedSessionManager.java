package dev.recycling.restart.tomcat;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;

import dev.recycling.restart.SessionScopedBeans;
import jakarta.servlet.http.HttpSession;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.Session;
import org.apache.catalina.session.StandardManager;

/**
 * Tomcat's session manager for one generation, on the sessions that every generation
 * shares ({@link SharedSessions}).
 * <p>
 * When its generation stops for a recycle, the sessions live on: nothing is written or
 * expired, and the session-scoped beans of the closing generation are removed so that
 * they do not keep it alive. At the last stop of the JVM's server it behaves as
 * Tomcat's {@link StandardManager}: sessions are written if
 * {@code server.servlet.session.persistent} is set, then expired.
 *
 * @author recycling team
 */
public final class SharedSessionManager extends StandardManager {

	private final SharedSessions shared;

	private final BooleanSupplier recycling;

	private final IntSupplier generation;

	/**
	 * Create a manager.
	 * @param shared the sessions of every generation
	 * @param recycling whether this manager's generation is being recycled when it stops
	 * @param generation the number of this manager's generation
	 */
	public SharedSessionManager(SharedSessions shared, BooleanSupplier recycling, IntSupplier generation) {
		this.shared = shared;
		this.recycling = recycling;
		this.generation = generation;
	}

	@Override
	protected void startInternal() throws LifecycleException {
		// reads what a persistent store left at the JVM's last stop, into a map of its own:
		// StandardManager's load starts by clearing the map it loads into
		this.sessions = new ConcurrentHashMap<>();
		super.startInternal();
		Map<String, Session> shared = this.shared.map();
		shared.putAll(this.sessions);
		this.sessions = shared;
		this.shared.started(this);
	}

	@Override
	protected void stopInternal() throws LifecycleException {
		boolean recycled = this.recycling.getAsBoolean();
		if (recycled) {
			// the closing generation served its last request: its session beans go with it
			int generation = this.generation.getAsInt();
			for (Session session : this.sessions.values()) {
				removeGenerationBeans(session, generation);
			}
		}
		boolean handedOver = this.shared.stopped(this);
		if (handedOver || recycled) {
			// nothing to write or expire: the sessions belong to the next generation now
			this.sessions = new ConcurrentHashMap<>();
		}
		super.stopInternal();
	}

	// the next generation may be serving the same sessions already, with beans of its own
	private static void removeGenerationBeans(Session session, int generation) {
		try {
			HttpSession httpSession = session.getSession();
			// the facade is the request's HttpSession too, so this is the mutex Spring's scope holds
			Object mutex = httpSession.getAttribute(SessionScopedBeans.MUTEX_ATTRIBUTE);
			synchronized ((mutex != null) ? mutex : httpSession) {
				SessionScopedBeans.removeBeansOf(SessionScopedBeans.of(httpSession), generation);
			}
		}
		catch (IllegalStateException ex) {
			// invalidated meanwhile: nothing left to remove
		}
	}

}
