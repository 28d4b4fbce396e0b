package dev.recycling.analytics.autoconfigure;

/**
 * Checks the {@link dev.recycling.analytics.web.ApiUsage} annotations of the handler methods
 * of one web stack, before analytics decide whether they are in use.
 *
 * @author recycling team
 */
@FunctionalInterface
interface ApiUsageAnnotationsCheck {

	/**
	 * Check every handler method.
	 * @return whether one is annotated: the application counts API usage
	 * @throws IllegalStateException if an annotation is bad
	 */
	boolean check();

}
