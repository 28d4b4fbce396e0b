/**
 * Analytics benchmarks: the cost of recording a count, and of the shutdown flush.
 */
@NullMarked
package dev.recycling.benchmarks.analytics;

import org.jspecify.annotations.NullMarked;
