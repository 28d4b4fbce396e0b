/**
 * The durable bulk task: one db-scheduler task per batch, its versioned encoding and the replaceable batch handler.
 */
@NullMarked
package dev.recycling.analytics.task;

import org.jspecify.annotations.NullMarked;
