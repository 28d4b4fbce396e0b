package dev.recycling.restart;

import java.io.File;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import java.util.function.Supplier;

import dev.recycling.memory.AcrossGenerations;
import dev.recycling.memory.MemoryRecorder;
import dev.recycling.memory.MemorySnapshot;
import dev.recycling.support.Durations;
import dev.recycling.trigger.GenerationLimits;
import dev.recycling.trigger.GenerationStats;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.SpringApplication;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.PropertySource;

/**
 * Owns the recycling of one {@link SpringApplication}: it outlives the application
 * contexts it closes and starts again, and knows each of them as a {@link Generation}.
 * <p>
 * One recycle at a time: a trigger while a recycle is under way is ignored. A recycle runs
 * on its own non-daemon thread, in one of two ways ({@link RestartStrategy}):
 * <ul>
 * <li><b>overlap</b>: the same application runs again with the same arguments while the
 * current generation serves; its web servers attach to the held sockets parked. Once it is
 * ready they start accepting, the current generation stops accepting (its responses close
 * their connections) and closes, serving what it had accepted. If the next generation fails
 * to start, the current one keeps serving and the recycle is tried again after a backoff.
 * Without heap headroom for two generations, or with JMX on, that recycle runs sequentially.</li>
 * <li><b>sequential</b>: the current generation closes (the web server drains on the way,
 * see {@code DrainCoordinator}), then the application runs again, holding the listening
 * sockets meanwhile. If it fails to start, the JVM exits with status 1: a JVM with no
 * server is worse than a restart by the supervisor.</li>
 * </ul>
 * With {@link RecycleMode#EXIT} the generation closes and the JVM exits.
 * <p>
 * The recycler holds the state machine; the rest is in its parts:
 * {@link GenerationLauncher} starts generations, {@link GenerationRecorder} records them
 * (records, failed starts, the JVM's counts) and {@link SharedResources} holds what
 * outlives them (the held sockets, shared objects and directories).
 *
 * @author recycling team
 */
public final class Recycler {

	/**
	 * Reason of a recycle asked for by an operator.
	 */
	public static final String MANUAL = "manual";

	/**
	 * Reason recorded for a generation closed without a recycle.
	 */
	public static final String SHUTDOWN = "shutdown";

	private static final Logger logger = LoggerFactory.getLogger(Recycler.class);

	// until the generation's recycling.history-size is bound (same default)
	private static final int DEFAULT_HISTORY_SIZE = 20;

	// a second attempt rides out a transient failure (seen once in several hundred restarts
	// in our tests: Spring Boot's Logback re-initialization); a second failure is not transient
	private static final int START_ATTEMPTS = 2;

	private final IntConsumer exit;

	private final GenerationLauncher launcher;

	private final GenerationRecorder recorder = new GenerationRecorder(DEFAULT_HISTORY_SIZE);

	private final SharedResources resources = new SharedResources();

	private final AtomicBoolean recycling = new AtomicBoolean();

	private final AtomicInteger lastNumber = new AtomicInteger();

	private final AtomicInteger recycles = new AtomicInteger();

	private final AtomicInteger failedStarts = new AtomicInteger();

	private volatile @Nullable Generation current;

	private volatile @Nullable Generation starting;

	private volatile boolean overlapStarting;

	private volatile RecyclerState state = RecyclerState.RESTARTING;

	private volatile long recycleStartNanos;

	private volatile @Nullable String recycleNote;

	private volatile @Nullable RecycleAdmission admission;

	// the admission that let the recycle under way start, told when it ends
	private volatile @Nullable RecycleAdmission admitted;

	private volatile @Nullable String strategyNote;

	private volatile @Nullable ScheduledFuture<?> retry;

	/**
	 * Create a recycler for an application, on the thread that runs it first.
	 * @param application the application, run again on each recycle
	 * @param args its arguments
	 * @param exit ends the JVM with a status ({@code System::exit} outside tests)
	 */
	public Recycler(SpringApplication application, String[] args, IntConsumer exit) {
		this.exit = exit;
		// the thread that ran the application first: every generation starts with its loader
		this.launcher = new GenerationLauncher(application, args, Thread.currentThread().getContextClassLoader());
	}

	void applicationStarting() {
		this.launcher.applicationStarting();
	}

	Generation contextPrepared(ConfigurableApplicationContext context) {
		Generation generation = new Generation(this, this.lastNumber.incrementAndGet(), context,
				this.overlapStarting, this.launcher.isKeepingLogging(), LoggingListeners.snapshot());
		this.recorder.add(generation);
		this.starting = generation;
		return generation;
	}

	/**
	 * Return the generation of a context, making it one if the recycler did not see it
	 * start (a context not run by the {@code SpringApplication}, as in tests).
	 * @param context the context
	 * @return its generation
	 */
	public Generation adopt(ConfigurableApplicationContext context) {
		Generation generation = generationOf(context);
		return (generation != null) ? generation : contextPrepared(context);
	}

	void contextReady(ConfigurableApplicationContext context) {
		Generation generation = generationOf(context);
		if (generation == null) {
			return;
		}
		generation.ready();
		if (generation.isOverlapping()) {
			// the recycler's thread hands over once the run returns
			return;
		}
		this.current = generation;
		this.starting = null;
		this.state = RecyclerState.SERVING;
		if (!this.recycling.get()) {
			logger.info("Generation {} is serving; {}", generation.number(), describe(generation));
		}
		else {
			Duration restart = Duration.ofNanos(System.nanoTime() - this.recycleStartNanos);
			this.resources.heldSockets().restartComplete();
			this.recorder.restartCompleted(generation.number() - 1, restart, true);
			logger.info("Generation {} is serving after a restart of {} ms; {}", generation.number(), restart.toMillis(),
					describe(generation));
			this.failedStarts.set(0);
			recycleEnded();
		}
		settle(generation);
	}

	void contextClosing(ConfigurableApplicationContext context) {
		Generation generation = generationOf(context);
		if (generation == null || !generation.isReady()) {
			return;
		}
		if (generation == this.current) {
			this.state = RecyclerState.DRAINING;
		}
		// before the drain and the close: the generation's objects and threads are all still there
		GenerationRecorder.endMemory(generation);
	}

	void contextClosed(ConfigurableApplicationContext context) {
		Generation generation = generationOf(context);
		if (generation == null || generation.recycleReason() != null) {
			// being recycled: the recycler's thread records it
			return;
		}
		if (generation.isReady()) {
			this.recorder.recordEnd(generation, SHUTDOWN, null, null);
		}
		forget(generation);
	}

	/**
	 * Return the generation of a context.
	 * @param context the context
	 * @return its generation, or {@code null} if it is not one of this recycler's
	 */
	public @Nullable Generation generationOf(ApplicationContext context) {
		return this.recorder.find(context);
	}

	boolean isCurrent(Generation generation) {
		return generation == this.current;
	}

	void resizeHistory(int size) {
		this.recorder.resize(size);
	}

	/**
	 * Recycle the current generation, asynchronously.
	 * @param reason why, recorded and logged
	 * @return {@code true} if the recycle started, {@code false} if one is under way or
	 * there is no running generation
	 */
	public boolean recycle(String reason) {
		return recycle(reason, null);
	}

	/**
	 * Recycle the current generation, asynchronously, with an operator's note kept in the
	 * generation's record.
	 * @param reason why, recorded, logged and used as a metric tag (keep the set small)
	 * @param note free text kept in the record, or {@code null}
	 * @return {@code true} if the recycle started, {@code false} if one is under way or
	 * there is no running generation
	 */
	public boolean recycle(String reason, @Nullable String note) {
		return recycle(this.current, reason, note);
	}

	boolean recycle(@Nullable Generation generation, String reason, @Nullable String note) {
		if (generation == null || generation != this.current || !generation.context().isActive()
				|| this.state != RecyclerState.SERVING) {
			logger.debug("Ignoring recycle ({}): generation {} is not the one serving (state {})", reason,
					(generation != null) ? generation.number() : "none", this.state);
			deferWhileStarting(generation, reason);
			return false;
		}
		if (!this.recycling.compareAndSet(false, true)) {
			logger.debug("Ignoring recycle ({}): a recycle is already under way", reason);
			deferWhileStarting(generation, reason);
			return false;
		}
		if (!admit(reason)) {
			// the generation serves on; its trigger asks again at the next check
			this.recycling.set(false);
			return false;
		}
		cancelRetry();
		Generation.Settings settings = generation.settings();
		boolean restart = settings.mode() == RecycleMode.CONTEXT;
		String fallback = (restart && settings.strategy() == RestartStrategy.OVERLAP) ? OverlapCheck.whyNot(settings) : null;
		boolean overlap = restart && settings.strategy() == RestartStrategy.OVERLAP && fallback == null;
		this.recycleStartNanos = System.nanoTime();
		this.recycleNote = note;
		this.strategyNote = fallback;
		this.recycles.incrementAndGet();
		this.recorder.recycleStarted(reason);
		generation.ending(reason);
		if (overlap) {
			this.state = RecyclerState.STARTING_NEXT;
			this.launcher.startThread(() -> runOverlap(generation, reason, note), "recycler-" + generation.number());
			return true;
		}
		this.state = RecyclerState.DRAINING;
		Runnable startAction = generation.recycleStartAction();
		if (startAction != null) {
			try {
				startAction.run();
			}
			catch (RuntimeException ex) {
				logger.warn("Preparing the recycle of generation {} failed; going on", generation.number(), ex);
			}
		}
		this.launcher.startThread(() -> runSequential(generation, reason, fallback), "recycler-" + generation.number());
		return true;
	}

	private boolean admit(String reason) {
		RecycleAdmission admission = this.admission;
		if (admission == null || MANUAL.equals(reason)) {
			return true;
		}
		if (!admission.admit(reason)) {
			return false;
		}
		this.admitted = admission;
		return true;
	}

	// the recycle under way has ended: the next generation serves, or the current one serves on;
	// the admission hears it before the next recycle can start
	private void recycleEnded() {
		RecycleAdmission admitted = this.admitted;
		this.admitted = null;
		if (admitted != null) {
			try {
				admitted.recycleEnded();
			}
			catch (RuntimeException ex) {
				logger.warn("Ending the admission of a recycle failed; going on", ex);
			}
		}
		this.recycling.set(false);
	}

	/**
	 * Let automatic recycles start only when an admission says so, for example a fleet's
	 * recycle budget. A recycle asked for by an operator ({@value #MANUAL}) starts without
	 * asking.
	 * @param admission the admission, or {@code null} for none
	 */
	public void admitRecyclesThrough(@Nullable RecycleAdmission admission) {
		this.admission = admission;
	}

	// a starting generation serves before the recycler makes it current (its web server starts
	// first): a limit it reaches meanwhile recycles it as soon as it is settled, not a check later
	private static void deferWhileStarting(@Nullable Generation generation, String reason) {
		if (generation != null && generation.context().isActive()) {
			generation.deferRecycle(reason);
		}
	}

	private void settle(Generation generation) {
		String deferred = generation.settle();
		if (deferred != null) {
			logger.debug("Generation {} reached a limit ({}) while it started; recycling it now", generation.number(),
					deferred);
			recycle(generation, deferred, null);
		}
	}

	private void runOverlap(Generation previous, String reason, @Nullable String note) {
		GenerationStats stats = previous.stats();
		int next = previous.number() + 1;
		logger.debug("Recycling generation {} ({}) after {} requests: starting generation {} next to it",
				previous.number(), reason, (stats != null) ? stats.requestsServed() : 0, next);
		if (GenerationLauncher.shutdownInProgress()) {
			logger.info("Not starting generation {}: the JVM is shutting down", next);
			recycleEnded();
			return;
		}
		GenerationRecorder.endMemory(previous);
		ConfigurableApplicationContext started;
		HeldServerSockets heldSockets = this.resources.heldSockets();
		heldSockets.startNext();
		this.overlapStarting = true;
		try {
			started = this.launcher.run(true);
		}
		catch (Throwable ex) {
			heldSockets.abandonNext();
			startFailed(previous, next, reason, note, ex);
			return;
		}
		finally {
			this.overlapStarting = false;
		}
		Generation successor = generationOf(started);
		if (successor == null || !started.isActive()) {
			// recycling switched off in the new configuration, or closed by a shutdown meanwhile
			heldSockets.handOver();
			closeAndRecord(previous, reason, note, RestartStrategy.OVERLAP, null, null);
			recycleEnded();
			return;
		}
		handOver(previous, successor, reason, note);
	}

	private void handOver(Generation previous, Generation successor, String reason, @Nullable String note) {
		// current from the handover on; the successor accepts first, then the previous generation
		// stops: someone always accepts
		this.current = successor;
		this.starting = null;
		this.state = RecyclerState.SERVING;
		this.resources.heldSockets().handOver();
		Instant handedOverAt = Instant.now();
		Duration restart = Duration.ofNanos(System.nanoTime() - this.recycleStartNanos);
		this.recorder.restartCompleted(previous.number(), restart, false);
		logger.info("Generation {} took over {} ms after the recycle was decided, closing generation {}; {}",
				successor.number(), restart.toMillis(), previous.number(), describe(successor));
		// stop accepting, serve what was accepted; then the close, with nothing left in flight
		for (Runnable handOverAction : previous.handOverActions()) {
			try {
				handOverAction.run();
			}
			catch (RuntimeException ex) {
				logger.warn("Generation {} could not stop accepting; closing it", previous.number(), ex);
			}
		}
		closeAndRecord(previous, reason, note, RestartStrategy.OVERLAP, handedOverAt, restart);
		if (successor.isLoggingKept()) {
			// what the logging stop of a sequential start would have done to the closed generation's listeners
			int removed = LoggingListeners.removeRegisteredBetween(previous.loggingListenersAtStart(),
					successor.loggingListenersAtStart());
			logger.debug("Removed {} logging listeners of generation {}", removed, previous.number());
		}
		Runnable afterPreviousClosed = successor.previousClosedAction();
		if (afterPreviousClosed != null) {
			try {
				afterPreviousClosed.run();
			}
			catch (RuntimeException ex) {
				logger.warn("Generation {} failed to act on the close of generation {}", successor.number(),
						previous.number(), ex);
			}
		}
		this.failedStarts.set(0);
		recycleEnded();
		settle(successor);
	}

	private void closeAndRecord(Generation closing, String reason, @Nullable String note,
			@Nullable RestartStrategy strategy, @Nullable Instant handedOverAt, @Nullable Duration restart) {
		try {
			closing.context().close();
		}
		catch (RuntimeException ex) {
			logger.warn("Closing generation {} failed; going on with the recycle", closing.number(), ex);
		}
		releaseEnvironment(closing.context());
		Duration overlap = (handedOverAt != null) ? Duration.ofNanos(System.nanoTime() - this.recycleStartNanos) : null;
		for (Runnable closedAction : closing.closedActions()) {
			try {
				closedAction.run();
			}
			catch (RuntimeException ex) {
				logger.warn("Releasing what generation {} left behind failed; going on", closing.number(), ex);
			}
		}
		this.recorder.recordEnd(closing, reason, note, (strategy != null) ? new GenerationRecorder.Replacement(strategy,
				this.strategyNote, handedOverAt, restart, overlap, this.failedStarts.get()) : null);
		forget(closing);
	}

	private void startFailed(Generation previous, int next, String reason, @Nullable String note, Throwable ex) {
		int failures = this.failedStarts.incrementAndGet();
		Generation.Settings settings = previous.settings();
		Duration backoff = backoff(settings, failures);
		this.lastNumber.compareAndSet(next, previous.number());
		Generation failed = this.starting;
		if (failed != null && failed != previous) {
			forget(failed);
		}
		this.recorder.startFailed(new StartFailure(next, Instant.now(), StartFailure.describe(ex), backoff));
		logger.error("Generation {} failed to start; generation {} keeps serving, and its recycle ({}) is tried again "
				+ "in {}", next, previous.number(), reason, Durations.format(backoff), ex);
		previous.ending(null);
		if (this.current == previous) {
			this.state = RecyclerState.SERVING;
		}
		recycleEnded();
		this.retry = this.launcher.schedule(() -> {
			if (!recycle(previous, reason, note)) {
				logger.debug("Not retrying the recycle of generation {}: it is no longer the one serving",
						previous.number());
			}
		}, backoff);
	}

	private static Duration backoff(Generation.Settings settings, int failures) {
		Duration backoff = settings.retryBackoff();
		for (int i = 1; i < failures && backoff.compareTo(settings.maxRetryBackoff()) < 0; i++) {
			backoff = backoff.multipliedBy(2);
		}
		return (backoff.compareTo(settings.maxRetryBackoff()) > 0) ? settings.maxRetryBackoff() : backoff;
	}

	private void cancelRetry() {
		ScheduledFuture<?> retry = this.retry;
		if (retry != null) {
			retry.cancel(false);
			this.retry = null;
		}
	}

	private void runSequential(Generation closing, String reason, @Nullable String fallback) {
		Generation.Settings settings = closing.settings();
		RecycleMode mode = settings.mode();
		GenerationStats stats = closing.stats();
		// routine unless it exits the JVM or cannot overlap as configured
		boolean routine = mode == RecycleMode.CONTEXT && fallback == null;
		String decision = (mode == RecycleMode.EXIT) ? "exiting the JVM"
				: (fallback != null) ? "restarting the application context sequentially, since " + fallback
						: "restarting the application context";
		long served = (stats != null) ? stats.requestsServed() : 0;
		if (routine) {
			logger.debug("Recycling generation {} ({}) after {} requests: {}", closing.number(), reason, served,
					decision);
		}
		else {
			logger.info("Recycling generation {} ({}) after {} requests: {}", closing.number(), reason, served,
					decision);
		}
		boolean keepLogging = closing.isLoggingKept();
		HeldServerSockets heldSockets = this.resources.heldSockets();
		if (mode == RecycleMode.CONTEXT) {
			heldSockets.holdForRestart();
		}
		this.state = RecyclerState.DRAINING;
		closeAndRecord(closing, reason, this.recycleNote,
				(mode == RecycleMode.CONTEXT) ? RestartStrategy.SEQUENTIAL : null, null, null);
		this.state = RecyclerState.RESTARTING;
		if (mode == RecycleMode.EXIT) {
			logger.info("Exiting with status {} (recycling.mode=exit)", settings.exitCode());
			this.exit.accept(settings.exitCode());
			return;
		}
		int next = closing.number() + 1;
		if (GenerationLauncher.shutdownInProgress()) {
			logger.info("Not starting generation {}: the JVM is shutting down", next);
			heldSockets.closeAll();
			return;
		}
		for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
			try {
				this.launcher.run(keepLogging);
				return;
			}
			catch (Throwable ex) {
				// the failed attempt may have counted itself as a generation
				this.lastNumber.set(next - 1);
				if (attempt < START_ATTEMPTS) {
					logger.warn("Generation {} failed to start; trying once more", next, ex);
				}
				else {
					logger.error("Generation {} failed to start; exiting with status 1 so that the supervisor starts "
							+ "a fresh JVM", next, ex);
				}
			}
		}
		heldSockets.closeAll();
		this.exit.accept(1);
	}

	// the generation's drawn limits and how it will be replaced, for its one start line
	private static String describe(Generation generation) {
		GenerationStats stats = generation.stats();
		GenerationLimits limits = (stats != null) ? stats.limits() : GenerationLimits.NONE;
		List<String> parts = new ArrayList<>();
		if (limits.maxRequests() > 0) {
			parts.add("after " + limits.maxRequests() + " requests");
		}
		Duration lifetime = limits.maxLifetime();
		if (lifetime != null) {
			parts.add("at the age of " + Durations.format(lifetime));
		}
		Generation.Settings settings = generation.settings();
		String how = (settings.mode() == RecycleMode.EXIT) ? "(recycling.mode exit)"
				: "(strategy " + settings.strategy().name().toLowerCase(Locale.ROOT) + ")";
		return (parts.isEmpty() ? "no request or lifetime limit" : "recycles " + String.join(" or ", parts)) + " "
				+ how;
	}

	// Spring Boot keeps environments in static caches with soft references (such as the
	// actuator's endpoint exposure cache), and a servlet environment's property sources
	// lead to the web server and from there to the whole closed context (directly, and
	// through the adapted sources that its configurationProperties source caches). With no
	// property sources left, a cached environment is a small object, and the closed
	// generation is garbage at the next collection instead of when the heap runs short.
	private static void releaseEnvironment(ConfigurableApplicationContext closed) {
		MutablePropertySources sources = closed.getEnvironment().getPropertySources();
		for (PropertySource<?> source : sources.stream().toList()) {
			sources.remove(source.getName());
		}
	}

	// nothing of a closed generation may stay reachable from here
	private void forget(Generation generation) {
		this.recorder.forget(generation);
		if (this.current == generation) {
			this.current = null;
			cancelRetry();
		}
		if (this.starting == generation) {
			this.starting = null;
		}
	}

	/**
	 * Return the current generation number, 1 for the context the JVM started with.
	 * @return the generation number
	 */
	public int getGeneration() {
		Generation generation = this.current;
		if (generation == null) {
			generation = this.starting;
		}
		return (generation != null) ? generation.number() : this.lastNumber.get();
	}

	/**
	 * Return the number of recycles started in this JVM.
	 * @return the recycle count
	 */
	public int getRecycleCount() {
		return this.recycles.get();
	}

	/**
	 * Return the completed application requests of every generation of this JVM.
	 * @return the request count
	 */
	public long getRequestsServed() {
		return this.recorder.requestsServed();
	}

	/**
	 * Return the memory of the current generation once it was warm.
	 * @return the snapshot, or {@code null} before the warm-up or without a recorder
	 */
	public @Nullable MemorySnapshot getMemoryAtStart() {
		MemoryRecorder memory = currentMemory();
		return (memory != null) ? memory.atStart() : null;
	}

	/**
	 * Return how many memory samples the current generation has so far.
	 * @return the sample count, 0 before the warm-up or without a recorder
	 */
	public int getMemorySampleCount() {
		MemoryRecorder memory = currentMemory();
		return (memory != null) ? memory.sampleCount() : 0;
	}

	private @Nullable MemoryRecorder currentMemory() {
		Generation generation = this.current;
		return (generation != null) ? generation.memory() : null;
	}

	/**
	 * Return the memory of the last ended generation as it started to close.
	 * @return the snapshot, or {@code null} before the first generation ended
	 */
	public @Nullable MemorySnapshot getLastMemoryAtEnd() {
		List<GenerationRecord> records = this.recorder.history();
		return records.isEmpty() ? null : records.get(records.size() - 1).memoryAtEnd();
	}

	/**
	 * Return what the baselines of the last generations say about memory that survives
	 * recycles.
	 * @return the comparison across generations
	 */
	public AcrossGenerations getAcrossGenerations() {
		return this.recorder.acrossGenerations();
	}

	/**
	 * Return the counts of the whole JVM, across generations.
	 * @return the statistics
	 */
	public RecyclerStatistics getStatistics() {
		return this.recorder.statistics();
	}

	/**
	 * Return the object of a type that every generation shares, created by the first
	 * generation that asks. For state that must outlive a context, such as the counts
	 * behind a metric; it must not hold any object of a generation.
	 * @param <T> the type
	 * @param type the type, the key of the object
	 * @param factory creates the object
	 * @return the shared object
	 */
	public <T> T shared(Class<T> type, Supplier<? extends T> factory) {
		return this.resources.object(type, factory);
	}

	/**
	 * Return the state of the current generation.
	 * @return the state
	 */
	public RecyclerState getState() {
		return this.state;
	}

	/**
	 * Return whether a recycle is under way.
	 * @return whether a recycle is under way
	 */
	public boolean isRecycling() {
		return this.recycling.get();
	}

	/**
	 * Return when the current generation became ready.
	 * @return the start of the current generation
	 */
	public Instant getStartedAt() {
		Generation generation = this.current;
		return (generation != null) ? generation.startedAt() : Instant.now();
	}

	/**
	 * Return the records of the last generations, oldest first.
	 * @return the records
	 */
	public List<GenerationRecord> getHistory() {
		return this.recorder.history();
	}

	/**
	 * Return the running context of the current generation, if any.
	 * @return the context or {@code null} during a restart
	 */
	public @Nullable ConfigurableApplicationContext getContext() {
		Generation generation = this.current;
		return (generation != null) ? generation.context() : null;
	}

	/**
	 * Return the counters and limits of the current generation, if any.
	 * @return the stats or {@code null} during a restart
	 */
	public @Nullable GenerationStats getStats() {
		Generation generation = this.current;
		return (generation != null) ? generation.stats() : null;
	}

	/**
	 * Return the last failed starts of a next generation (overlap), oldest first.
	 * @return the failures
	 */
	public List<StartFailure> getStartFailures() {
		return this.recorder.startFailures();
	}

	/**
	 * Return a temporary directory that every generation shares, created on first use and
	 * deleted with its content when the JVM exits, so that a web server that needs a base
	 * directory does not leave a new one behind on every restart, nor one per run.
	 * @param name what the directory is for, part of its name
	 * @return the directory
	 */
	public File sharedDirectory(String name) {
		return this.resources.directory(name);
	}

	/**
	 * Return the listening sockets held across restarts.
	 * @return the held sockets
	 */
	public HeldServerSockets getHeldSockets() {
		return this.resources.heldSockets();
	}

}
