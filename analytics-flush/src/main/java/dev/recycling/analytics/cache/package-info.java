/**
 * Lock-free usage caches: API usage and feature evaluations counted in memory on the request path.
 */
@NullMarked
package dev.recycling.analytics.cache;

import org.jspecify.annotations.NullMarked;
