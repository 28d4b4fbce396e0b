/**
 * The JDBC store: aggregate tables in per-minute buckets, applied exactly once per batch, and their schema.
 */
@NullMarked
package dev.recycling.analytics.store;

import org.jspecify.annotations.NullMarked;
