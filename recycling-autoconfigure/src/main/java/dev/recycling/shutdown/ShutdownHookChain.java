package dev.recycling.shutdown;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

import dev.recycling.restart.Recycler;
import dev.recycling.shutdown.ShutdownHookReport.HookResult;
import dev.recycling.shutdown.ShutdownHookReport.Outcome;
import dev.recycling.support.Durations;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;

/**
 * Runs the {@link RecyclingShutdownHook}s of a generation, once, when its context closes.
 * <p>
 * It is a {@link SmartLifecycle} in {@link #PHASE}, below the phase in which Spring Boot
 * stops the web server: lifecycles stop from the highest phase down, so by the time the
 * chain runs the server has finished its in-flight requests and stopped, and bean
 * destruction (the {@code DataSource} among them) has not begun. Each hook runs on its own
 * daemon thread within its timeout; one that throws or overruns does not stop the next.
 *
 * @author recycling team
 */
public final class ShutdownHookChain implements SmartLifecycle {

	/**
	 * The lifecycle phase: 1024 below Spring Boot's web server start/stop phase
	 * ({@code DEFAULT_PHASE - 2048}), so it stops after the server and before phase 0.
	 */
	public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 3072;

	private static final Logger logger = LoggerFactory.getLogger(ShutdownHookChain.class);

	private final List<RecyclingShutdownHook> hooks;

	private final Duration defaultTimeout;

	private final IntSupplier generation;

	private final Supplier<String> reason;

	private final AtomicBoolean ran = new AtomicBoolean();

	private volatile boolean running;

	private volatile @Nullable ShutdownHookReport report;

	/**
	 * Create a chain.
	 * @param hooks the hooks, in run order
	 * @param defaultTimeout the timeout of a hook that does not name its own
	 * @param generation the number of the generation this chain belongs to
	 * @param reason why the generation ends, asked when the chain runs
	 */
	public ShutdownHookChain(List<RecyclingShutdownHook> hooks, Duration defaultTimeout, IntSupplier generation,
			Supplier<String> reason) {
		this.hooks = List.copyOf(hooks);
		this.defaultTimeout = defaultTimeout;
		this.generation = generation;
		this.reason = reason;
	}

	/**
	 * Run every hook, unless the chain has run already.
	 * @return what the hooks did, or {@code null} if the chain had run before
	 */
	public @Nullable ShutdownHookReport runOnce() {
		if (!this.ran.compareAndSet(false, true)) {
			return null;
		}
		int generation = this.generation.getAsInt();
		String reason = this.reason.get();
		Instant startedAt = Instant.now();
		long start = System.nanoTime();
		List<HookResult> results = new ArrayList<>(this.hooks.size());
		boolean interrupted = false;
		for (RecyclingShutdownHook hook : this.hooks) {
			Duration timeout = (hook.timeout() != null) ? hook.timeout() : this.defaultTimeout;
			HookRun run = new HookRun(hook, new ShutdownContext(generation, reason, timeout));
			results.add(run.await());
			interrupted |= run.callerInterrupted;
		}
		ShutdownHookReport report = new ShutdownHookReport(generation, reason, startedAt, List.copyOf(results));
		this.report = report;
		if (!this.hooks.isEmpty()) {
			long failed = results.stream().filter((result) -> result.outcome() == Outcome.FAILED).count();
			long timedOut = results.stream().filter((result) -> result.outcome() == Outcome.TIMED_OUT).count();
			// a recycle whose hooks all completed is routine
			boolean routine = failed == 0 && timedOut == 0 && !Recycler.SHUTDOWN.equals(reason);
			String message = "Shutdown hooks of generation {} ({}): {} completed, {} failed, {} timed out in {} ms";
			Object[] arguments = { generation, reason, results.size() - failed - timedOut, failed, timedOut,
					Duration.ofNanos(System.nanoTime() - start).toMillis() };
			if (routine) {
				logger.debug(message, arguments);
			}
			else {
				logger.info(message, arguments);
			}
		}
		if (interrupted) {
			Thread.currentThread().interrupt();
		}
		return report;
	}

	/**
	 * Return what the chain did when it ran.
	 * @return the report, or {@code null} if it has not run
	 */
	public @Nullable ShutdownHookReport getReport() {
		return this.report;
	}

	/**
	 * Return the hooks in run order.
	 * @return the hooks
	 */
	public List<RecyclingShutdownHook> getHooks() {
		return this.hooks;
	}

	@Override
	public void start() {
		this.running = true;
	}

	@Override
	public void stop() {
		try {
			runOnce();
		}
		finally {
			this.running = false;
		}
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return PHASE;
	}

	private static final class HookRun {

		private final RecyclingShutdownHook hook;

		private final ShutdownContext context;

		private final AtomicReference<@Nullable Throwable> failure = new AtomicReference<>();

		private boolean callerInterrupted;

		HookRun(RecyclingShutdownHook hook, ShutdownContext context) {
			this.hook = hook;
			this.context = context;
		}

		HookResult await() {
			String name = this.hook.name();
			long start = System.nanoTime();
			Thread thread = new Thread(this::run, "recycling-shutdown-hook-" + name);
			thread.setDaemon(true);
			thread.start();
			long deadline = start + this.context.timeout().toNanos();
			while (thread.isAlive() && System.nanoTime() - deadline < 0) {
				try {
					thread.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
				}
				catch (InterruptedException ex) {
					// the closing thread was interrupted: still give every hook its time
					this.callerInterrupted = true;
				}
			}
			Duration duration = Duration.ofNanos(System.nanoTime() - start);
			if (thread.isAlive()) {
				thread.interrupt();
				logger.warn("Shutdown hook '{}' did not finish within {}; interrupted it and going on with the "
						+ "next hook. Raise its timeout (recycling.shutdown.hook-timeout) or make it faster",
						name, Durations.format(this.context.timeout()));
				return new HookResult(name, Outcome.TIMED_OUT, duration, null);
			}
			Throwable failure = this.failure.get();
			if (failure != null) {
				logger.warn("Shutdown hook '{}' failed after {} ms; going on with the next hook", name,
						duration.toMillis(), failure);
				return new HookResult(name, Outcome.FAILED, duration, String.valueOf(failure));
			}
			return new HookResult(name, Outcome.COMPLETED, duration, null);
		}

		private void run() {
			try {
				this.hook.run(this.context);
			}
			catch (Throwable ex) {
				this.failure.set(ex);
			}
		}

	}

}
