/**
 * Periodic, early and shutdown flushes of both caches as one batch, with retry, circuit breaker and spill.
 */
@NullMarked
package dev.recycling.analytics.flush;

import org.jspecify.annotations.NullMarked;
