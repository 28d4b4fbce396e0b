/**
 * Micrometer metrics of the analytics caches and flushes.
 */
@NullMarked
package dev.recycling.analytics.metrics;

import org.jspecify.annotations.NullMarked;
