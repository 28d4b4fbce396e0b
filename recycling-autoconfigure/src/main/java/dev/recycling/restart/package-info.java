/**
 * The in-process restarter: one recycle at a time, the held listening socket and the generation records.
 */
@NullMarked
package dev.recycling.restart;

import org.jspecify.annotations.NullMarked;
