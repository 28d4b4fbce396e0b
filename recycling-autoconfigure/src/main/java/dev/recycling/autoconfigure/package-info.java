/**
 * Auto-configuration for graceful worker recycling.
 */
@NullMarked
package dev.recycling.autoconfigure;

import org.jspecify.annotations.NullMarked;
