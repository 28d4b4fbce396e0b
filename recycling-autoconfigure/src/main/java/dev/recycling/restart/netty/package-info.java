/**
 * Holds Reactor Netty's listening socket across restarts (WebFlux, NIO transport).
 */
@NullMarked
package dev.recycling.restart.netty;

import org.jspecify.annotations.NullMarked;
