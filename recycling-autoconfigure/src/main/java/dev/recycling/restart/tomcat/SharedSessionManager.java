package dev.recycling.restart.tomcat;

import java.util.Collections;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;

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

	/**
	 * Create a manager.
	 * @param shared the sessions of every generation
	 * @param recycling whether this manager's generation is being recycled when it stops
	 */
	public SharedSessionManager(SharedSessions shared, BooleanSupplier recycling) {
		this.shared = shared;
		this.recycling = recycling;
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
			for (Session session : this.sessions.values()) {
				removeGenerationBeans(session);
			}
		}
		boolean handedOver = this.shared.stopped(this);
		if (handedOver || recycled) {
			// nothing to write or expire: the sessions belong to the next generation now
			this.sessions = new ConcurrentHashMap<>();
		}
		super.stopInternal();
	}

	private static void removeGenerationBeans(Session session) {
		try {
			HttpSession httpSession = session.getSession();
			for (String name : Collections.list(httpSession.getAttributeNames())) {
				if (SessionScopedBeans.isAttribute(name)) {
					httpSession.removeAttribute(name);
				}
			}
		}
		catch (IllegalStateException ex) {
			// invalidated meanwhile: nothing left to remove
		}
	}

}
