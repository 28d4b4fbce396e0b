/**
 * The recycle-under-load scenario's report: figures and a latency chart across recycles.
 */
@NullMarked
package dev.recycling.benchmarks.recycle;

import org.jspecify.annotations.NullMarked;
