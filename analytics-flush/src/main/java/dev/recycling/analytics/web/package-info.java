/**
 * Recording usage from servlet requests so that only requests that succeeded count.
 */
@NullMarked
package dev.recycling.analytics.web;

import org.jspecify.annotations.NullMarked;
