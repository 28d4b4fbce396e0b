/**
 * The shutdown hook chain: ordered hooks that run once per generation, after the web
 * server has stopped taking requests and before the {@code DataSource} closes.
 */
@NullMarked
package dev.recycling.shutdown;

import org.jspecify.annotations.NullMarked;
