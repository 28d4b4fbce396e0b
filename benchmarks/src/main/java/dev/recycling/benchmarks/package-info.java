/**
 * Benchmarks and load scenarios. Kept out of the default test run; see
 * {@code docs/benchmarks.md} for the commands and the results.
 */
@NullMarked
package dev.recycling.benchmarks;

import org.jspecify.annotations.NullMarked;
