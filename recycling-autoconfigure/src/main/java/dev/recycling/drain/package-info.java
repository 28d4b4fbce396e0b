/**
 * The drain gate: readiness down first, serve until the load balancer has stopped sending,
 * then drain in-flight requests and the accept backlog before the server stops accepting.
 */
@NullMarked
package dev.recycling.drain;

import org.jspecify.annotations.NullMarked;
