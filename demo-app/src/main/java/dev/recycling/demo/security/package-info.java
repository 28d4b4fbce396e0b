/**
 * Security of the demo's actuator write operations.
 */
@NullMarked
package dev.recycling.demo.security;

import org.jspecify.annotations.NullMarked;
