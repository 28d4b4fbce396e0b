package dev.recycling.analytics.web;

import java.lang.reflect.Method;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.recycling.analytics.cache.ApiUsageKey;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.util.StringUtils;
import org.springframework.web.method.HandlerMethod;

/**
 * The {@link ApiUsage} annotations of an application's handler methods, looked up once per
 * method and checked when the application starts.
 * <p>
 * Every counted request asks for its handler's annotation, so the answer is also kept by the
 * identity of the handler's {@link Method}: Spring MVC and WebFlux hand each request a new
 * {@link HandlerMethod} (with its bean resolved) but the same {@code Method}, and a lookup by
 * identity reads neither the method's class nor its name, as {@code HandlerMethod}'s
 * {@code equals} and {@code hashCode} do (a profile of the demo under load put that lookup
 * at a third of a percent of its request).
 *
 * @author recycling team
 */
public final class ApiUsageAnnotations {

	private static final Logger logger = LoggerFactory.getLogger(ApiUsageAnnotations.class);

	private static final Counted NOT_COUNTED = new Counted("", "");

	private static final int INITIAL_CAPACITY = 64;

	// every handler seen, by its method and bean type
	private final ConcurrentHashMap<Handler, Counted> byHandler = new ConcurrentHashMap<>();

	// the same, by the identity of the Method instance each was first seen with: an immutable
	// hash table, replaced by a larger copy under the lock when a handler is added (a handler
	// mapping that made a new Method for each request would find its handlers in byHandler,
	// without adding here)
	private volatile @Nullable Entry[] byIdentity = new Entry[INITIAL_CAPACITY];

	private int identitiesAdded;

	/**
	 * Check the annotations of the given handler methods, so that a bad one stops the
	 * application as it starts rather than at its first request.
	 * @param handlerMethods the handler methods of the application
	 * @return whether one of them is annotated
	 * @throws IllegalStateException if an annotation has a blank or over-long resource, or a
	 * blank header name
	 */
	public boolean check(Collection<HandlerMethod> handlerMethods) {
		boolean anyAnnotated = false;
		Map<HandlerMethod, Counted> added = new LinkedHashMap<>();
		for (HandlerMethod handlerMethod : handlerMethods) {
			Counted counted = resolve(handlerMethod);
			if (this.byHandler.putIfAbsent(new Handler(handlerMethod), counted) == null) {
				added.put(handlerMethod, counted);
			}
			anyAnnotated |= (counted != NOT_COUNTED);
		}
		addIdentities(added);
		return anyAnnotated;
	}

	/**
	 * Return how a handler's calls are counted.
	 * @param handler the handler that served a request, as its handler mapping exposes it
	 * @return the resource and header, or {@code null} if the handler is not annotated
	 */
	@Nullable Counted of(@Nullable Object handler) {
		if (!(handler instanceof HandlerMethod handlerMethod)) {
			return null;
		}
		Counted counted = findIdentity(this.byIdentity, handlerMethod.getMethod(), handlerMethod.getBeanType());
		if (counted == null) {
			counted = this.byHandler.computeIfAbsent(new Handler(handlerMethod), (key) -> {
				Counted resolved = resolveOrSkip(handlerMethod);
				addIdentities(Map.of(handlerMethod, resolved));
				return resolved;
			});
		}
		return (counted != NOT_COUNTED) ? counted : null;
	}

	private static @Nullable Counted findIdentity(@Nullable Entry[] table, Method method, Class<?> beanType) {
		for (Entry entry = table[indexOf(method, table.length)]; entry != null; entry = entry.next) {
			if (entry.method == method && entry.beanType == beanType) {
				return entry.counted;
			}
		}
		return null;
	}

	private synchronized void addIdentities(Map<HandlerMethod, Counted> added) {
		if (added.isEmpty()) {
			return;
		}
		@Nullable Entry[] table = this.byIdentity;
		this.identitiesAdded += added.size();
		int capacity = table.length;
		while (this.identitiesAdded > capacity / 2) {
			capacity *= 2;
		}
		@Nullable Entry[] copy = new Entry[capacity];
		for (Entry head : table) {
			for (Entry entry = head; entry != null; entry = entry.next) {
				int index = indexOf(entry.method, capacity);
				copy[index] = new Entry(entry.method, entry.beanType, entry.counted, copy[index]);
			}
		}
		for (Map.Entry<HandlerMethod, Counted> handler : added.entrySet()) {
			Method method = handler.getKey().getMethod();
			int index = indexOf(method, capacity);
			copy[index] = new Entry(method, handler.getKey().getBeanType(), handler.getValue(), copy[index]);
		}
		this.byIdentity = copy;
	}

	// how many handlers the lookup by identity holds
	int identities() {
		int identities = 0;
		for (Entry head : this.byIdentity) {
			for (Entry entry = head; entry != null; entry = entry.next) {
				identities++;
			}
		}
		return identities;
	}

	private static int indexOf(Method method, int capacity) {
		int hash = System.identityHashCode(method);
		return (hash ^ (hash >>> 16)) & (capacity - 1);
	}

	// a handler that no check saw (from a handler mapping of its own): found while a request
	// completes, when an exception would only break the response, so a bad annotation is
	// reported once and its calls are not counted
	private static Counted resolveOrSkip(HandlerMethod handlerMethod) {
		try {
			return resolve(handlerMethod);
		}
		catch (IllegalStateException ex) {
			logger.error("{}: its calls are not counted", ex.getMessage());
			return NOT_COUNTED;
		}
	}

	private static Counted resolve(HandlerMethod handlerMethod) {
		ApiUsage usage = AnnotatedElementUtils.findMergedAnnotation(handlerMethod.getMethod(), ApiUsage.class);
		if (usage == null) {
			usage = AnnotatedElementUtils.findMergedAnnotation(handlerMethod.getBeanType(), ApiUsage.class);
		}
		if (usage == null) {
			return NOT_COUNTED;
		}
		String method = handlerMethod.getBeanType().getName() + "." + handlerMethod.getMethod().getName() + "()";
		String resource = usage.value().trim();
		if (resource.isEmpty() || resource.length() > ApiUsageKey.MAX_RESOURCE_LENGTH) {
			throw new IllegalStateException("@ApiUsage of " + method
					+ " needs a resource of 1 to " + ApiUsageKey.MAX_RESOURCE_LENGTH + " characters, such as "
					+ "@ApiUsage(\"flags\"), not \"" + usage.value() + "\"");
		}
		if (!StringUtils.hasText(usage.environmentKeyHeader())) {
			throw new IllegalStateException("@ApiUsage of " + method
					+ " needs the name of the header of the environment key, or no environmentKeyHeader for "
					+ ApiUsage.ENVIRONMENT_KEY_HEADER);
		}
		return new Counted(resource, usage.environmentKeyHeader().trim());
	}

	/**
	 * How a handler's calls are counted.
	 *
	 * @param resource the resource
	 * @param environmentKeyHeader the header of the caller's environment key
	 */
	record Counted(String resource, String environmentKeyHeader) {
	}

	private record Handler(Method method, Class<?> beanType) {

		Handler(HandlerMethod handlerMethod) {
			this(handlerMethod.getMethod(), handlerMethod.getBeanType());
		}

	}

	private record Entry(Method method, Class<?> beanType, Counted counted, @Nullable Entry next) {
	}

}
