/**
 * Recycling triggers: the request counter, the limits drawn per generation and the lifetime check.
 */
@NullMarked
package dev.recycling.trigger;

import org.jspecify.annotations.NullMarked;
