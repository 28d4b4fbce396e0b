/**
 * Small helpers shared by the starter's parts, with no dependency on any of them.
 */
@NullMarked
package dev.recycling.support;

import org.jspecify.annotations.NullMarked;
