package dev.recycling.trigger;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

import org.jspecify.annotations.Nullable;

/**
 * The automatic triggers of one generation: the request limit and the lifetime limit, both
 * held back until the generation is {@code min-lifetime} old. The first trigger wins and
 * fires once.
 * <p>
 * {@link #countRequest()} is on the request path: one atomic increment and a compare.
 * {@link #check()} runs off the request path, every second or so.
 *
 * @author recycling team
 */
public final class RecycleTriggers implements GenerationStats {

	/**
	 * Reason of a recycle triggered by the request limit.
	 */
	public static final String MAX_REQUESTS = "max-requests";

	/**
	 * Reason of a recycle triggered by the lifetime limit.
	 */
	public static final String MAX_LIFETIME = "max-lifetime";

	private final AtomicLong counted = new AtomicLong();

	private final AtomicBoolean fired = new AtomicBoolean();

	private final GenerationLimits limits;

	private final long requestLimit;

	private final long minLifetimeNanos;

	private final long maxLifetimeNanos;

	private final LongSupplier nanoClock;

	private final long startNanos;

	private final RecycleRequester requester;

	private volatile boolean requestLimitPending;

	/**
	 * Create the triggers of a generation that starts now.
	 * @param limits the drawn limits
	 * @param minLifetime the age before which no trigger fires
	 * @param nanoClock the monotonic clock, {@code System::nanoTime} outside tests
	 * @param requester who recycles
	 */
	public RecycleTriggers(GenerationLimits limits, Duration minLifetime, LongSupplier nanoClock,
			RecycleRequester requester) {
		this.limits = limits;
		this.requestLimit = (limits.maxRequests() > 0) ? limits.maxRequests() : Long.MAX_VALUE;
		this.minLifetimeNanos = minLifetime.toNanos();
		Duration maxLifetime = limits.maxLifetime();
		this.maxLifetimeNanos = (maxLifetime != null) ? saturatedNanos(maxLifetime) : Long.MAX_VALUE;
		this.nanoClock = nanoClock;
		this.startNanos = nanoClock.getAsLong();
		this.requester = requester;
	}

	/**
	 * Count one application request: the servlet filter counts a request as it ends, the
	 * WebFlux filter as it starts. The one that reaches the limit asks for the recycle.
	 */
	public void countRequest() {
		if (this.counted.incrementAndGet() == this.requestLimit) {
			// held back by min-lifetime, or refused (the generation is not serving yet):
			// check() tries again
			this.requestLimitPending = ageNanos() < this.minLifetimeNanos || !fire(MAX_REQUESTS);
		}
	}

	/**
	 * Fire the limits that are due: a request limit held back by min-lifetime, or the
	 * lifetime limit.
	 */
	public void check() {
		long age = ageNanos();
		if (age < this.minLifetimeNanos) {
			return;
		}
		if (this.requestLimitPending) {
			this.requestLimitPending = !fire(MAX_REQUESTS) && !this.fired.get();
		}
		else if (age >= this.maxLifetimeNanos) {
			fire(MAX_LIFETIME);
		}
	}

	/**
	 * Fire a trigger that is not one of the limits (memory, manual), respecting
	 * min-lifetime when asked to.
	 * @param reason the reason
	 * @param automatic whether min-lifetime applies
	 * @return whether the recycle was requested
	 */
	public boolean fire(String reason, boolean automatic) {
		if (automatic && ageNanos() < this.minLifetimeNanos) {
			return false;
		}
		return fire(reason);
	}

	private boolean fire(String reason) {
		if (this.fired.compareAndSet(false, true)) {
			if (this.requester.requestRecycle(reason)) {
				return true;
			}
			this.fired.set(false);
		}
		return false;
	}

	/**
	 * Return the number of application requests counted in this generation (on WebFlux,
	 * with the ones in flight).
	 * @return the requests counted
	 */
	@Override
	public long requestsServed() {
		return this.counted.get();
	}

	/**
	 * Return the drawn limits of this generation.
	 * @return the limits
	 */
	@Override
	public GenerationLimits limits() {
		return this.limits;
	}

	/**
	 * Return the age of this generation.
	 * @return the age
	 */
	public Duration age() {
		return Duration.ofNanos(ageNanos());
	}

	private long ageNanos() {
		return this.nanoClock.getAsLong() - this.startNanos;
	}

	/**
	 * Return when the next {@link #check()} is worth running, for schedulers that want to
	 * avoid idle wake-ups.
	 * @return the suggested check interval
	 */
	public Duration suggestedCheckInterval() {
		@Nullable Duration maxLifetime = this.limits.maxLifetime();
		Duration interval = Duration.ofSeconds(1);
		if (maxLifetime != null && maxLifetime.dividedBy(10).compareTo(interval) < 0) {
			interval = Duration.ofMillis(Math.max(10, maxLifetime.dividedBy(10).toMillis()));
		}
		return interval;
	}

	private static long saturatedNanos(Duration duration) {
		try {
			return duration.toNanos();
		}
		catch (ArithmeticException ex) {
			return Long.MAX_VALUE;
		}
	}

}
