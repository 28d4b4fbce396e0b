/**
 * Holds Jetty's listening socket across restarts (ServerConnector).
 */
@NullMarked
package dev.recycling.restart.jetty;

import org.jspecify.annotations.NullMarked;
