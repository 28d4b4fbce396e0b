/**
 * The demo's deliberate, configurable leak.
 */
@NullMarked
package dev.recycling.demo.leak;

import org.jspecify.annotations.NullMarked;
