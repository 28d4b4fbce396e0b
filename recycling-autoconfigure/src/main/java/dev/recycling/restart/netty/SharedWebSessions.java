package dev.recycling.restart.netty;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.web.server.session.DefaultWebSessionManager;
import org.springframework.web.server.session.InMemoryWebSessionStore;
import org.springframework.web.server.session.WebSessionStore;

/**
 * Keeps WebFlux's in-memory sessions across recycles: the first generation's
 * {@link InMemoryWebSessionStore} becomes the store of every later generation's
 * {@link DefaultWebSessionManager}, so a session cookie the previous generation issued finds
 * its session in the next one. A store is kept only while it holds nothing of its
 * generation (Spring's and Spring Boot's in-memory stores hold a clock and a timeout); a
 * store of the application's own (Redis, JDBC through Spring Session) is left alone.
 *
 * @author recycling team
 */
public final class SharedWebSessions {

	private @Nullable WebSessionStore store;

	/**
	 * Return a post-processor that gives a generation's session manager the shared store.
	 * @return the post-processor
	 */
	public BeanPostProcessor postProcessor() {
		return new BeanPostProcessor() {

			@Override
			public Object postProcessAfterInitialization(Object bean, String beanName) {
				if (bean instanceof DefaultWebSessionManager manager) {
					manager.setSessionStore(share(manager.getSessionStore()));
				}
				return bean;
			}

		};
	}

	synchronized WebSessionStore share(WebSessionStore store) {
		if (!(store instanceof InMemoryWebSessionStore)) {
			return store;
		}
		WebSessionStore shared = this.store;
		if (shared == null || shared.getClass() != store.getClass()) {
			this.store = store;
			return store;
		}
		return shared;
	}

}
