package dev.recycling.analytics.web;

import java.util.Collection;
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
 *
 * @author recycling team
 */
public final class ApiUsageAnnotations {

	private static final Logger logger = LoggerFactory.getLogger(ApiUsageAnnotations.class);

	private static final Counted NOT_COUNTED = new Counted("", "");

	private final ConcurrentHashMap<HandlerMethod, Counted> byHandler = new ConcurrentHashMap<>();

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
		for (HandlerMethod handlerMethod : handlerMethods) {
			Counted counted = resolve(handlerMethod);
			this.byHandler.put(handlerMethod, counted);
			anyAnnotated |= (counted != NOT_COUNTED);
		}
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
		Counted counted = this.byHandler.get(handlerMethod);
		if (counted == null) {
			counted = this.byHandler.computeIfAbsent(handlerMethod, ApiUsageAnnotations::resolveOrSkip);
		}
		return (counted != NOT_COUNTED) ? counted : null;
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

}
