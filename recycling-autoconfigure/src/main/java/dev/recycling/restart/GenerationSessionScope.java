package dev.recycling.restart;

import java.util.function.IntSupplier;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectFactory;
import org.springframework.beans.factory.config.Scope;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;

/**
 * The session scope of one generation: like the scope it wraps, but it never hands out a
 * session-scoped bean that another generation created (one left in a session that
 * survived a recycle, or put there by the other generation while two overlap). Such a
 * bean is removed (its destroy callback runs) and this generation's own is created.
 * <p>
 * Each bean is marked in the session with the number of the generation that created it.
 *
 * @author recycling team
 */
public final class GenerationSessionScope implements Scope {

	/**
	 * Prefix of the session attributes that mark the generation of a session-scoped bean.
	 */
	public static final String GENERATION_PREFIX = GenerationSessionScope.class.getName() + ".GENERATION.";

	private final Scope delegate;

	private final IntSupplier generation;

	/**
	 * Wrap a session scope.
	 * @param delegate the scope the web application context registered
	 * @param generation the number of this scope's generation
	 */
	public GenerationSessionScope(Scope delegate, IntSupplier generation) {
		this.delegate = delegate;
		this.generation = generation;
	}

	@Override
	public Object get(String name, ObjectFactory<?> objectFactory) {
		RequestAttributes attributes = RequestContextHolder.currentRequestAttributes();
		// the mutex the session scope takes to look a bean up: held from the check to the
		// bean, so that no other request (of either generation) and no closing generation
		// removing its beans (SessionScopedBeans) works on the same bean meanwhile
		synchronized (attributes.getSessionMutex()) {
			Integer owner = (Integer) attributes.getAttribute(GENERATION_PREFIX + name,
					RequestAttributes.SCOPE_SESSION);
			int generation = this.generation.getAsInt();
			if (owner != null && owner != generation) {
				this.delegate.remove(name);
			}
			return this.delegate.get(name, () -> {
				Object bean = objectFactory.getObject();
				attributes.setAttribute(GENERATION_PREFIX + name, generation, RequestAttributes.SCOPE_SESSION);
				return bean;
			});
		}
	}

	@Override
	public @Nullable Object remove(String name) {
		RequestAttributes attributes = RequestContextHolder.currentRequestAttributes();
		synchronized (attributes.getSessionMutex()) {
			attributes.removeAttribute(GENERATION_PREFIX + name, RequestAttributes.SCOPE_SESSION);
			return this.delegate.remove(name);
		}
	}

	@Override
	public void registerDestructionCallback(String name, Runnable callback) {
		this.delegate.registerDestructionCallback(name, callback);
	}

	@Override
	public @Nullable Object resolveContextualObject(String key) {
		return this.delegate.resolveContextualObject(key);
	}

	@Override
	public @Nullable String getConversationId() {
		return this.delegate.getConversationId();
	}

}
