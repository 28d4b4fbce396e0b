package dev.recycling.trigger;

import org.springframework.web.server.WebFilter;

/**
 * A web filter of the starter's that the {@link RequestCountingWebFilter} may run inside
 * itself when it comes right after it in the exchange's chain
 * ({@link RequestCountingWebFilter#nestInner(java.util.List)}): the two are then one filter
 * of the chain.
 * <p>
 * WebFlux calls every filter of a chain from one place, and the JVM's compiler inlines such a
 * call only while it has seen at most two filter types there: a filter type the starter adds
 * to an application's chain can cost every exchange more than its own work (measured on the
 * WebFlux demo: a third filter type that does nothing cost about 4 % of the exchange, the
 * API-usage filter's own work about 1 %). The filter runs inside as it would have run as the
 * next filter of the chain.
 *
 * @author recycling team
 */
public interface InnerWebFilter extends WebFilter {

}
