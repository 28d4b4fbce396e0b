package dev.recycling.analytics.web;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Counts every successful call of a Spring MVC or WebFlux handler method as one API request
 * of a resource, without a line of recording code in the handler: the
 * {@link UsageRecordingFilter} (servlet) or {@link UsageRecordingHttpHandler} (WebFlux)
 * records it after the response, if its status is below 400, with the caller's environment
 * key from a request header, the host the client called ({@code Host}) and the client's labels
 * ({@link UsageRecorder#CLIENT_NAME_HEADER}, {@link UsageRecorder#CLIENT_VERSION_HEADER},
 * {@code User-Agent}), as {@link UsageRecorder#apiRequest(jakarta.servlet.ServletRequest,
 * String, String)} does. A request without the environment-key header is not counted.
 * <p>
 * On a class, it applies to each of its handler methods that is not annotated itself. The
 * annotations are checked when the application starts: a blank or over-long resource, or a
 * blank header name, stops it with a message naming the method.
 *
 * @author recycling team
 */
@Target({ ElementType.METHOD, ElementType.TYPE })
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface ApiUsage {

	/**
	 * The header that carries the caller's environment key by default.
	 */
	String ENVIRONMENT_KEY_HEADER = "X-Environment-Key";

	/**
	 * The resource called, such as {@code flags}: at most
	 * {@value dev.recycling.analytics.cache.ApiUsageKey#MAX_RESOURCE_LENGTH} characters.
	 * @return the resource
	 */
	String value();

	/**
	 * The request header that carries the caller's environment key.
	 * @return the header name
	 */
	String environmentKeyHeader() default ENVIRONMENT_KEY_HEADER;

}
