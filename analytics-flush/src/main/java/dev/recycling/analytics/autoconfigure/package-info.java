/**
 * Auto-configuration for buffered analytics and their durable flush.
 */
@NullMarked
package dev.recycling.analytics.autoconfigure;

import org.jspecify.annotations.NullMarked;
