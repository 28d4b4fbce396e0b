/**
 * A bounded loopback HTTP load driver for the load scenarios.
 */
@NullMarked
package dev.recycling.benchmarks.load;

import org.jspecify.annotations.NullMarked;
