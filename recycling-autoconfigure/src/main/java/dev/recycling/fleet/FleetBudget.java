package dev.recycling.fleet;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.function.LongSupplier;

import dev.recycling.restart.RecycleAdmission;
import dev.recycling.support.Durations;
import net.javacrumbs.shedlock.core.LockConfiguration;
import net.javacrumbs.shedlock.core.LockProvider;
import net.javacrumbs.shedlock.core.SimpleLock;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.core.NestedExceptionUtils;

/**
 * The recycle budget of one instance of a fleet: a recycle starts only with one of the
 * fleet's {@code slots} recycle slots, a lease in the database the fleet shares, so that at
 * most that many instances recycle at once. A lease expires by itself, so the slot of an
 * instance killed while it recycled comes back after the lease.
 * <p>
 * An instance that finds every slot taken keeps serving and asks again at its next
 * trigger check; after {@code maxWait} it recycles without a slot rather than wait for
 * ever (a growing heap may not wait), and says so. A database it cannot reach counts as
 * no free slot.
 *
 * @author recycling team
 */
public final class FleetBudget implements RecycleAdmission {

	private static final Logger logger = LoggerFactory.getLogger(FleetBudget.class);

	private final String fleet;

	private final int slots;

	private final Duration lease;

	private final Duration maxWait;

	private final LockProvider leases;

	private final LongSupplier nanoClock;

	private static final int KEPT_HOLDS = 20;

	private @Nullable SimpleLock held;

	// the recycles this budget admitted, newest last: the one under way has no end yet; under
	// its own lock, so that the endpoint and the metrics never wait for the database
	private final Deque<Hold> holds = new ArrayDeque<>();

	private volatile int heldSlot = -1;

	private volatile long waitingSinceNanos;

	private volatile @Nullable String waitingReason;

	private volatile @Nullable Instant waitingSince;

	private volatile @Nullable String lastError;

	private volatile long waits;

	private volatile long unbudgeted;

	private volatile double waitedSeconds;

	/**
	 * Create the budget of one instance.
	 * @param fleet the fleet's name, the same on every instance
	 * @param slots how many instances of the fleet may recycle at once
	 * @param lease how long a slot is held at most, if it is not given back
	 * @param maxWait how long a recycle waits for a slot before it goes on without one
	 * @param leases the lease store the fleet shares
	 * @param nanoClock the monotonic clock, {@code System::nanoTime} outside tests
	 */
	public FleetBudget(String fleet, int slots, Duration lease, Duration maxWait, LockProvider leases,
			LongSupplier nanoClock) {
		this.fleet = fleet;
		this.slots = slots;
		this.lease = lease;
		this.maxWait = maxWait;
		this.leases = leases;
		this.nanoClock = nanoClock;
	}

	@Override
	public synchronized boolean admit(String reason) {
		long now = this.nanoClock.getAsLong();
		String error = null;
		for (int slot = 0; slot < this.slots; slot++) {
			Optional<SimpleLock> lock;
			try {
				lock = this.leases.lock(new LockConfiguration(Instant.now(), slotName(slot), this.lease, Duration.ZERO));
			}
			catch (RuntimeException ex) {
				Throwable cause = NestedExceptionUtils.getMostSpecificCause(ex);
				error = cause.getClass().getSimpleName() + ": " + cause.getMessage();
				break;
			}
			if (lock.isPresent()) {
				this.held = lock.get();
				this.heldSlot = slot;
				endWait(now, reason, "with slot " + (slot + 1) + " of " + this.slots);
				hold(slot + 1, reason);
				return true;
			}
		}
		if (this.waitingReason == null) {
			this.waitingReason = reason;
			this.waitingSince = Instant.now();
			this.waitingSinceNanos = now;
			this.waits++;
			logger.info("A recycle ({}) waits for a slot: {}; this instance keeps serving and asks again at each "
					+ "check, for at most {}", reason, (error != null) ? "the fleet's leases cannot be read"
							: "the " + this.slots + " recycle slot(s) of fleet '" + this.fleet + "' are taken",
					Durations.format(this.maxWait));
		}
		if (error != null && !error.equals(this.lastError)) {
			logger.warn("Cannot take a recycle slot of fleet '{}': {}", this.fleet, error);
		}
		this.lastError = error;
		if (now - this.waitingSinceNanos >= this.maxWait.toNanos()) {
			this.unbudgeted++;
			logger.warn("A recycle ({}) goes on without a slot of fleet '{}' after waiting {} "
					+ "(recycling.fleet.max-wait): more than {} instances may recycle at once", reason, this.fleet,
					Durations.format(this.maxWait), this.slots);
			endWait(now, reason, "without a slot");
			hold(null, reason);
			return true;
		}
		return false;
	}

	private void endWait(long now, String reason, String how) {
		this.lastError = null;
		if (this.waitingReason == null) {
			logger.debug("A recycle ({}) starts {} of fleet '{}'", reason, how, this.fleet);
			return;
		}
		Duration waited = Duration.ofNanos(now - this.waitingSinceNanos);
		this.waitedSeconds += waited.toNanos() / 1e9;
		this.waitingReason = null;
		this.waitingSince = null;
		logger.info("A recycle ({}) starts {} of fleet '{}' after waiting {}", reason, how, this.fleet,
				Durations.format(waited));
	}

	private void hold(@Nullable Integer slot, String reason) {
		synchronized (this.holds) {
			if (this.holds.size() == KEPT_HOLDS) {
				this.holds.removeFirst();
			}
			this.holds.addLast(new Hold(slot, reason, Instant.now(), null));
		}
	}

	@Override
	public synchronized void recycleEnded() {
		synchronized (this.holds) {
			Hold last = this.holds.peekLast();
			if (last != null && last.endedAt() == null) {
				this.holds.removeLast();
				this.holds.addLast(new Hold(last.slot(), last.reason(), last.startedAt(), Instant.now()));
			}
		}
		SimpleLock lock = this.held;
		int slot = this.heldSlot;
		this.held = null;
		this.heldSlot = -1;
		if (lock == null) {
			return;
		}
		try {
			lock.unlock();
			logger.debug("Gave back recycle slot {} of fleet '{}'", slot + 1, this.fleet);
		}
		catch (RuntimeException ex) {
			logger.warn("Could not give back recycle slot {} of fleet '{}'; it comes back when its lease expires ({})",
					slot + 1, this.fleet, Durations.format(this.lease), ex);
		}
	}

	private String slotName(int slot) {
		return this.fleet + "#" + slot;
	}

	/**
	 * Return what this instance's budget is doing now, for the endpoint and the metrics.
	 * @return the status
	 */
	public Status status() {
		int slot = this.heldSlot;
		List<Hold> holds;
		synchronized (this.holds) {
			holds = List.copyOf(this.holds);
		}
		return new Status(this.fleet, this.slots, this.lease, this.maxWait, (slot >= 0) ? slot + 1 : null,
				this.waitingReason, this.waitingSince, waitingSeconds(), this.lastError, this.waits, this.unbudgeted,
				this.waitedSeconds, holds);
	}

	private double waitingSeconds() {
		return (this.waitingReason != null) ? (this.nanoClock.getAsLong() - this.waitingSinceNanos) / 1e9 : 0;
	}

	/**
	 * What an instance's recycle budget is doing.
	 *
	 * @param fleet the fleet's name
	 * @param slots how many instances of the fleet may recycle at once
	 * @param lease how long a slot is held at most
	 * @param maxWait how long a recycle waits for a slot at most
	 * @param heldSlot the slot this instance holds (from 1), or {@code null}
	 * @param waitingReason the reason of the recycle that waits for a slot, or {@code null}
	 * @param waitingSince when that recycle started to wait, or {@code null}
	 * @param waitingSeconds how long it has waited so far, 0 if none waits
	 * @param lastError why the leases could not be read at the last try, or {@code null}
	 * @param waits how many recycles had to wait for a slot
	 * @param unbudgeted how many recycles went on without a slot after max-wait
	 * @param waitedSeconds the time all finished waits took, in seconds
	 * @param recentRecycles the last recycles the budget admitted, oldest first
	 */
	public record Status(String fleet, int slots, Duration lease, Duration maxWait, @Nullable Integer heldSlot,
			@Nullable String waitingReason, @Nullable Instant waitingSince, double waitingSeconds,
			@Nullable String lastError, long waits, long unbudgeted, double waitedSeconds, List<Hold> recentRecycles) {

		/**
		 * Return whether a recycle waits for a slot.
		 * @return whether one waits
		 */
		public boolean waiting() {
			return this.waitingReason != null;
		}

	}

	/**
	 * A recycle the budget admitted: from its admission until it ended (the next generation
	 * served, or failed to start).
	 *
	 * @param slot the slot it held (from 1), or {@code null} if it went on without one
	 * @param reason why it recycled
	 * @param startedAt when it was admitted
	 * @param endedAt when it ended, or {@code null} while it is under way
	 */
	public record Hold(@Nullable Integer slot, String reason, Instant startedAt, @Nullable Instant endedAt) {

	}

}
