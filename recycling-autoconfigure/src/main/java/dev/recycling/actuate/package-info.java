/**
 * The {@code recycling} actuator endpoint and health contributor.
 */
@NullMarked
package dev.recycling.actuate;

import org.jspecify.annotations.NullMarked;
