/**
 * The demo's flag API on WebFlux and Reactor Netty.
 */
@NullMarked
package dev.recycling.demo.webflux;

import org.jspecify.annotations.NullMarked;
