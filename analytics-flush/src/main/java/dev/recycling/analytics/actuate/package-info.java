/**
 * The {@code analytics} actuator endpoint.
 */
@NullMarked
package dev.recycling.analytics.actuate;

import org.jspecify.annotations.NullMarked;
