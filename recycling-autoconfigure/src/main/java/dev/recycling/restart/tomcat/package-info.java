/**
 * Holds Tomcat's listening socket across restarts (NIO connector).
 */
@NullMarked
package dev.recycling.restart.tomcat;

import org.jspecify.annotations.NullMarked;
