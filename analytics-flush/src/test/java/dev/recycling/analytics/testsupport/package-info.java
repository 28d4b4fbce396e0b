/**
 * Test support shared with the other modules: a real PostgreSQL from embedded binaries.
 */
@NullMarked
package dev.recycling.analytics.testsupport;

import org.jspecify.annotations.NullMarked;
