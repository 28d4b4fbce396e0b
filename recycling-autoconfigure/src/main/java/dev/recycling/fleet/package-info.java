/**
 * The fleet's recycle budget: at most so many instances of one fleet recycle at once,
 * coordinated through leases in the database the fleet shares.
 */
@NullMarked
package dev.recycling.fleet;

import org.jspecify.annotations.NullMarked;
