/**
 * The demo's feature-flag API.
 */
@NullMarked
package dev.recycling.demo.flags;

import org.jspecify.annotations.NullMarked;
