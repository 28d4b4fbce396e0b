/**
 * Demo application of the recycling starter.
 */
@NullMarked
package dev.recycling.demo;

import org.jspecify.annotations.NullMarked;
