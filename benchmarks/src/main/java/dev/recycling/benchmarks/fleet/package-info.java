/**
 * The parts of the fleet scenario that need Java: its PostgreSQL and the latency probe.
 */
@NullMarked
package dev.recycling.benchmarks.fleet;

import org.jspecify.annotations.NullMarked;
