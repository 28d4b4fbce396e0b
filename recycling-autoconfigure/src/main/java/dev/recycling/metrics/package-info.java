/**
 * Micrometer metrics of recycling, read from state that outlives the generations.
 */
@NullMarked
package dev.recycling.metrics;

import org.jspecify.annotations.NullMarked;
