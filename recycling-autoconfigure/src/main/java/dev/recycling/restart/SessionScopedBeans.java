package dev.recycling.restart;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Set;

import jakarta.servlet.http.HttpSession;
import org.jspecify.annotations.Nullable;

/**
 * Removes a generation's session-scoped beans (held through a scoped proxy, the default of
 * {@code @SessionScope}) from a session, with their destruction callbacks and generation
 * marks.
 * <p>
 * Such a bean belongs to the generation that created it: it was injected with that
 * generation's beans, which a closed generation has destroyed. When a generation closes
 * after a recycle its beans are removed from the sessions that survive it (the beans'
 * destroy methods run), and the next request creates the beans anew in the current
 * generation. The beans of another generation stay: while two generations overlap, the
 * next one has its own in the same sessions.
 *
 * @author recycling team
 */
public final class SessionScopedBeans {

	// ScopedProxyUtils.getTargetBeanName and ServletRequestAttributes.DESTRUCTION_CALLBACK_NAME_PREFIX,
	// spelled out so that an application without Spring AOP or Spring Web loads this class too
	private static final String TARGET_PREFIX = "scopedTarget.";

	private static final String DESTRUCTION_CALLBACK_PREFIX = "org.springframework.web.context.request."
			+ "ServletRequestAttributes.DESTRUCTION_CALLBACK.";

	// GenerationSessionScope.GENERATION_PREFIX, without loading Spring Web
	private static final String GENERATION_PREFIX = "dev.recycling.restart.GenerationSessionScope.GENERATION.";

	/**
	 * The name of the session attribute that Spring's {@code HttpSessionMutexListener} puts
	 * the session's mutex in ({@code WebUtils.SESSION_MUTEX_ATTRIBUTE}).
	 */
	public static final String MUTEX_ATTRIBUTE = "org.springframework.web.util.WebUtils.MUTEX";

	private SessionScopedBeans() {
	}

	/**
	 * Remove from a session the session-scoped beans that a generation created, with their
	 * destruction callbacks (which run as they are removed) and their generation marks.
	 * Beans without a mark are removed too; those marked by another generation stay. A
	 * caller whose server has one session object per session holds its mutex, the one
	 * Spring's session scope and {@code GenerationSessionScope} hold while they look a bean
	 * up, so that no request looks a bean up while it is half removed.
	 * @param session the session's attributes
	 * @param generation the number of the generation whose beans go
	 */
	public static void removeBeansOf(Attributes session, int generation) {
		// each bean once, though up to three attributes name it
		Set<String> beans = new LinkedHashSet<>();
		for (String name : session.names()) {
			String bean = beanName(name);
			if (bean != null) {
				beans.add(bean);
			}
		}
		for (String bean : beans) {
			if (isOf(session, bean, generation)) {
				session.remove(DESTRUCTION_CALLBACK_PREFIX + bean);
				session.remove(bean);
				session.remove(GENERATION_PREFIX + bean);
			}
		}
	}

	/**
	 * Return the attributes of a servlet session.
	 * @param session the session
	 * @return its attributes
	 */
	public static Attributes of(HttpSession session) {
		return new HttpSessionAttributes(session);
	}

	// the scoped bean an attribute belongs to
	private static @Nullable String beanName(String name) {
		if (name.startsWith(TARGET_PREFIX)) {
			return name;
		}
		if (name.startsWith(DESTRUCTION_CALLBACK_PREFIX)) {
			return name.substring(DESTRUCTION_CALLBACK_PREFIX.length());
		}
		if (name.startsWith(GENERATION_PREFIX)) {
			return name.substring(GENERATION_PREFIX.length());
		}
		return null;
	}

	private static boolean isOf(Attributes session, String bean, int generation) {
		Object mark = session.get(GENERATION_PREFIX + bean);
		return mark == null || mark.equals(generation);
	}

	/**
	 * The attributes of a session, as the server holds them.
	 */
	public interface Attributes {

		/**
		 * Return the names of the attributes.
		 * @return the names
		 */
		Collection<String> names();

		/**
		 * Return an attribute's value.
		 * @param name the attribute's name
		 * @return its value, or {@code null}
		 */
		@Nullable Object get(String name);

		/**
		 * Remove an attribute, telling its value that it is unbound.
		 * @param name the attribute's name
		 */
		void remove(String name);

	}

	private record HttpSessionAttributes(HttpSession session) implements Attributes {

		@Override
		public Collection<String> names() {
			return Collections.list(this.session.getAttributeNames());
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
