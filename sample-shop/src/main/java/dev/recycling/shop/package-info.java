/**
 * A small shop application for the recycling tests.
 */
@NullMarked
package dev.recycling.shop;

import org.jspecify.annotations.NullMarked;
