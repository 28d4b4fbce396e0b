package dev.recycling.restart.tomcat;

import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;

import org.apache.catalina.Manager;
import org.apache.catalina.session.StandardManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.core.Ordered;

/**
 * Gives Tomcat's context a {@link SharedSessionManager}, so that HTTP sessions survive
 * recycles. A session manager the application set itself is left alone.
 *
 * @author recycling team
 */
public final class TomcatSessionCustomizer
		implements WebServerFactoryCustomizer<TomcatServletWebServerFactory>, Ordered {

	private static final Logger logger = LoggerFactory.getLogger(TomcatSessionCustomizer.class);

	private final SharedSessions shared;

	private final BooleanSupplier recycling;

	private final IntSupplier generation;

	/**
	 * Create a customizer.
	 * @param shared the sessions of every generation
	 * @param recycling whether the generation is being recycled when its server stops
	 * @param generation the number of the generation
	 */
	public TomcatSessionCustomizer(SharedSessions shared, BooleanSupplier recycling, IntSupplier generation) {
		this.shared = shared;
		this.recycling = recycling;
		this.generation = generation;
	}

	@Override
	public void customize(TomcatServletWebServerFactory factory) {
		// a context customizer runs after Spring Boot configured the session manager
		factory.addContextCustomizers((context) -> {
			Manager configured = context.getManager();
			if (configured != null && configured.getClass() != StandardManager.class) {
				logger.warn("Tomcat uses the session manager {}: HTTP sessions are not kept across recycles",
						configured.getClass().getName());
				return;
			}
			SharedSessionManager manager = new SharedSessionManager(this.shared, this.recycling, this.generation);
			if (configured instanceof StandardManager standard) {
				// server.servlet.session.persistent: written at the JVM's last stop, read at its first start
				manager.setPathname(standard.getPathname());
			}
			context.setManager(manager);
		});
	}

	@Override
	public int getOrder() {
		return Ordered.LOWEST_PRECEDENCE;
	}

}
