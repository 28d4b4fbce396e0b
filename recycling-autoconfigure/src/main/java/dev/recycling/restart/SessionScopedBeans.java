package dev.recycling.restart;

/**
 * Recognizes the session attributes that hold session-scoped beans (through a scoped
 * proxy, the default of {@code @SessionScope}) and their destruction callbacks.
 * <p>
 * Such a bean belongs to the generation that created it: it was injected with that
 * generation's beans, which a closed generation has destroyed. When a generation closes
 * after a recycle these attributes are removed from the sessions that survive it (the
 * beans' destroy methods run), and the next request creates the beans anew in the
 * current generation.
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

	private SessionScopedBeans() {
	}

	/**
	 * Return whether a session attribute belongs to a session-scoped bean.
	 * @param name the attribute's name
	 * @return whether it holds a scoped bean or its destruction callback
	 */
	public static boolean isAttribute(String name) {
		return name.startsWith(TARGET_PREFIX) || name.startsWith(DESTRUCTION_CALLBACK_PREFIX)
				|| name.startsWith(GENERATION_PREFIX);
	}

}
