package dev.recycling.restart.jetty;

import java.util.Collection;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;

import dev.recycling.restart.SessionScopedBeans;
import org.eclipse.jetty.ee11.servlet.SessionHandler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.session.ManagedSession;
import org.eclipse.jetty.session.NullSessionCache;
import org.eclipse.jetty.session.SessionCache;
import org.eclipse.jetty.util.component.LifeCycle;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.jetty.servlet.JettyServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.core.Ordered;

/**
 * Keeps HTTP sessions across recycles on Jetty: every generation's session handler reads
 * and writes the same {@link SessionData} objects ({@link SharedSessionDataStore}) and
 * caches none of them ({@link NullSessionCache}), so a session is the same in both
 * generations while they overlap. A session cache the application configured itself is
 * left alone.
 * <p>
 * When a generation stops for a recycle, its session-scoped beans are removed from the
 * sessions (their destroy callbacks run) before its handler stops.
 *
 * @author recycling team
 */
public final class JettySessionCustomizer
		implements WebServerFactoryCustomizer<JettyServletWebServerFactory>, Ordered {

	private static final Logger logger = LoggerFactory.getLogger(JettySessionCustomizer.class);

	private final SharedSessionDataStore.Sessions shared;

	private final BooleanSupplier recycling;

	private final IntSupplier generation;

	/**
	 * Create a customizer.
	 * @param shared the session data of every generation
	 * @param recycling whether the generation is being recycled when its server stops
	 * @param generation the number of the generation
	 */
	public JettySessionCustomizer(SharedSessionDataStore.Sessions shared, BooleanSupplier recycling,
			IntSupplier generation) {
		this.shared = shared;
		this.recycling = recycling;
		this.generation = generation;
	}

	@Override
	public void customize(JettyServletWebServerFactory factory) {
		factory.addServerCustomizers(this::shareSessions);
	}

	private void shareSessions(Server server) {
		for (SessionHandler handler : server.getDescendants(SessionHandler.class)) {
			SessionCache configured = handler.getSessionCache();
			if (configured != null) {
				// server.servlet.session.persistent, or the application's own
				logger.warn("Jetty uses the session cache {}: HTTP sessions are not kept across recycles",
						configured.getClass().getName());
				continue;
			}
			NullSessionCache cache = new NullSessionCache(handler);
			cache.setSessionDataStore(new SharedSessionDataStore(this.shared));
			handler.setSessionCache(cache);
			handler.addEventListener(new LifeCycle.Listener() {

				@Override
				public void lifeCycleStopping(LifeCycle event) {
					if (JettySessionCustomizer.this.recycling.getAsBoolean()) {
						removeGenerationBeans(handler);
					}
				}

			});
		}
	}

	// the handler still runs: each session is entered and released as a request would
	private void removeGenerationBeans(SessionHandler handler) {
		int generation = this.generation.getAsInt();
		for (String id : List.copyOf(this.shared.map.keySet())) {
			try {
				ManagedSession session = handler.getManagedSession(id);
				if (session == null) {
					continue;
				}
				try {
					SessionScopedBeans.removeBeansOf(new ManagedSessionAttributes(session), generation);
				}
				finally {
					handler.getSessionCache().release(session);
				}
			}
			catch (Exception ex) {
				logger.debug("Could not remove the session-scoped beans of a session", ex);
			}
		}
	}

	@Override
	public int getOrder() {
		return Ordered.LOWEST_PRECEDENCE;
	}

	// no lock: without a session cache (NullSessionCache) each user of a session has its own
	// session object, so there is no one mutex that requests share; the generation marks alone
	// keep the next generation's beans
	private record ManagedSessionAttributes(ManagedSession session) implements SessionScopedBeans.Attributes {

		@Override
		public Collection<String> names() {
			return this.session.getAttributeNameSet();
		}

		@Override
		public @Nullable Object get(String name) {
			return this.session.getAttribute(name);
		}

		@Override
		public void remove(String name) {
			this.session.removeAttribute(name);
		}

	}

}
