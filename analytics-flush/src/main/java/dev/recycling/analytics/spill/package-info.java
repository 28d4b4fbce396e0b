/**
 * Spill files: batches that could not be enqueued, written atomically and replayed on the next start.
 */
@NullMarked
package dev.recycling.analytics.spill;

import org.jspecify.annotations.NullMarked;
