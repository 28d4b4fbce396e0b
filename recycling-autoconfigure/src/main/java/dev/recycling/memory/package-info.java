/**
 * Memory triggers: heap still used after GC and resident set size.
 */
@NullMarked
package dev.recycling.memory;

import org.jspecify.annotations.NullMarked;
