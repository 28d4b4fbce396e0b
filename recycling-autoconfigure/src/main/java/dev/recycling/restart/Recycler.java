package dev.recycling.restart;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import java.util.function.Supplier;

import dev.recycling.memory.LeakVerdict;
import dev.recycling.memory.MemoryRecorder;
import dev.recycling.memory.MemorySnapshot;
import dev.recycling.trigger.GenerationLimits;
import dev.recycling.trigger.GenerationStats;
import dev.recycling.trigger.RecycleRequester;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.PropertySource;
import org.springframework.util.FileSystemUtils;

/**
 * Owns the recycling of one {@link SpringApplication}: it outlives the application
 * contexts it closes and starts again.
 * <p>
 * One recycle at a time: a trigger while a recycle is under way is ignored. A recycle runs
 * on its own non-daemon thread: it closes the context (the web server drains on the way,
 * see {@code DrainCoordinator}), then either runs the same application with the
 * same arguments again, holding the listening sockets meanwhile, or exits the JVM. If the
 * new context fails to start, the JVM exits with status 1: a JVM with no server is worse
 * than a restart by the supervisor.
 *
 * @author recycling team
 */
public final class Recycler implements RecycleRequester {

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

	private final SpringApplication application;

	private final String[] args;

	private final IntConsumer exit;

	private final HeldServerSockets heldSockets = new HeldServerSockets();

	private final GenerationHistory history = new GenerationHistory(DEFAULT_HISTORY_SIZE);

	private final RecyclerStatistics statistics = new RecyclerStatistics();

	private final Map<Class<?>, Object> shared = new ConcurrentHashMap<>();

	private final AtomicBoolean recycling = new AtomicBoolean();

	private final AtomicInteger generation = new AtomicInteger();

	private final AtomicInteger recycles = new AtomicInteger();

	private final Map<String, File> directories = new ConcurrentHashMap<>();

	private volatile @Nullable ConfigurableApplicationContext context;

	private volatile @Nullable GenerationStats stats;

	private volatile @Nullable Runnable recycleStartAction;

	private volatile @Nullable MemoryRecorder memory;

	private volatile RecyclerState state = RecyclerState.RESTARTING;

	private volatile RecycleMode mode = RecycleMode.CONTEXT;

	private volatile int exitCode;

	private volatile Instant startedAt = Instant.now();

	private volatile long recycleStartNanos;

	private volatile String recycleReason = SHUTDOWN;

	private volatile @Nullable String recycleNote;

	/**
	 * Create a recycler for an application.
	 * @param application the application, run again on each recycle
	 * @param args its arguments
	 * @param exit ends the JVM with a status ({@code System::exit} outside tests)
	 */
	public Recycler(SpringApplication application, String[] args, IntConsumer exit) {
		this.application = application;
		this.args = args.clone();
		this.exit = exit;
	}

	/**
	 * Configure how the current generation recycles. Called by each generation, since
	 * the properties are bound anew each time.
	 * @param mode restart the context or exit the JVM
	 * @param exitCode the exit status for {@link RecycleMode#EXIT}
	 * @param stats the current generation's counters and limits
	 * @param historySize the number of generation records kept
	 */
	public void configure(RecycleMode mode, int exitCode, GenerationStats stats, int historySize) {
		this.mode = mode;
		this.exitCode = exitCode;
		this.stats = stats;
		this.history.resize(historySize);
	}

	/**
	 * Set what the current generation does, synchronously, the moment a recycle is
	 * decided (stop taking new connections).
	 * @param action the action, run on the thread that triggered the recycle
	 */
	public void onRecycleStart(Runnable action) {
		this.recycleStartAction = action;
	}

	/**
	 * Set what records the current generation's memory; its snapshots go into the
	 * generation's record.
	 * @param recorder the recorder
	 */
	public void recordMemoryWith(MemoryRecorder recorder) {
		this.memory = recorder;
	}

	void contextPrepared(ConfigurableApplicationContext context) {
		forgetGeneration();
		this.context = context;
		this.generation.incrementAndGet();
	}

	void contextReady(ConfigurableApplicationContext context) {
		this.startedAt = Instant.now();
		this.state = RecyclerState.SERVING;
		if (this.recycling.get()) {
			Duration restart = Duration.ofNanos(System.nanoTime() - this.recycleStartNanos);
			this.heldSockets.restartComplete();
			this.history.completeRestart(this.generation.get() - 1, restart);
			this.statistics.restartCompleted(restart);
			logger.info("Generation {} is serving; the restart took {} ms", this.generation.get(), restart.toMillis());
			this.recycling.set(false);
		}
	}

	void contextClosing(ConfigurableApplicationContext context) {
		if (context == this.context) {
			this.state = RecyclerState.DRAINING;
			// before the drain and the close: the generation's objects and threads are all still there
			MemoryRecorder memory = this.memory;
			if (memory != null) {
				try {
					memory.end();
				}
				catch (RuntimeException ex) {
					logger.warn("Could not record the memory of generation {}", this.generation.get(), ex);
				}
			}
		}
	}

	void contextClosed(ConfigurableApplicationContext context) {
		if (context == this.context && !this.recycling.get()) {
			recordEnd(SHUTDOWN, null);
			forgetGeneration();
		}
	}

	@Override
	public boolean requestRecycle(String reason) {
		return recycle(reason);
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
		ConfigurableApplicationContext current = this.context;
		if (current == null || !current.isActive() || this.state != RecyclerState.SERVING) {
			logger.debug("Ignoring recycle ({}): no generation serving (state {})", reason, this.state);
			return false;
		}
		if (!this.recycling.compareAndSet(false, true)) {
			logger.debug("Ignoring recycle ({}): a recycle is already under way", reason);
			return false;
		}
		this.recycleStartNanos = System.nanoTime();
		this.recycleReason = reason;
		this.recycleNote = note;
		this.recycles.incrementAndGet();
		this.statistics.recycleStarted(reason);
		this.state = RecyclerState.DRAINING;
		Runnable startAction = this.recycleStartAction;
		if (startAction != null) {
			try {
				startAction.run();
			}
			catch (RuntimeException ex) {
				logger.warn("Preparing the recycle of generation {} failed; going on", this.generation.get(), ex);
			}
		}
		Thread thread = new Thread(() -> runRecycle(current, reason), "recycler-" + this.generation.get());
		thread.setDaemon(false);
		thread.start();
		return true;
	}

	private void runRecycle(ConfigurableApplicationContext current, String reason) {
		RecycleMode mode = this.mode;
		GenerationStats stats = this.stats;
		logger.info("Recycling generation {} ({}) after {} requests: {}", this.generation.get(), reason,
				(stats != null) ? stats.requestsServed() : 0,
				(mode == RecycleMode.CONTEXT) ? "restarting the application context" : "exiting the JVM");
		if (mode == RecycleMode.CONTEXT) {
			this.heldSockets.holdForRestart();
		}
		try {
			current.close();
		}
		catch (RuntimeException ex) {
			logger.warn("Closing generation {} failed; going on with the recycle", this.generation.get(), ex);
		}
		releaseEnvironment(current);
		this.state = RecyclerState.RESTARTING;
		recordEnd(reason, this.recycleNote);
		forgetGeneration();
		if (mode == RecycleMode.EXIT) {
			logger.info("Exiting with status {} (recycling.mode=exit)", this.exitCode);
			this.exit.accept(this.exitCode);
			return;
		}
		if (shutdownInProgress()) {
			logger.info("Not starting generation {}: the JVM is shutting down", this.generation.get() + 1);
			this.heldSockets.closeAll();
			return;
		}
		int next = this.generation.get() + 1;
		for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
			try {
				this.application.run(this.args);
				return;
			}
			catch (Throwable ex) {
				// the failed attempt may have counted itself as a generation
				this.generation.set(next - 1);
				if (attempt < START_ATTEMPTS) {
					logger.warn("Generation {} failed to start; trying once more", next, ex);
				}
				else {
					logger.error("Generation {} failed to start; exiting with status 1 so that the supervisor starts "
							+ "a fresh JVM", next, ex);
				}
			}
		}
		this.heldSockets.closeAll();
		this.exit.accept(1);
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
	private void forgetGeneration() {
		this.context = null;
		// counted and dropped in one step, so that the JVM's request count never counts it twice
		synchronized (this.statistics) {
			GenerationStats stats = this.stats;
			if (stats != null) {
				this.statistics.generationEnded(stats.requestsServed());
			}
			this.stats = null;
		}
		this.recycleStartAction = null;
		this.memory = null;
	}

	private static boolean shutdownInProgress() {
		Thread probe = new Thread(() -> {
		});
		try {
			Runtime.getRuntime().addShutdownHook(probe);
			Runtime.getRuntime().removeShutdownHook(probe);
			return false;
		}
		catch (IllegalStateException ex) {
			return true;
		}
	}

	private void recordEnd(String reason, @Nullable String note) {
		GenerationStats stats = this.stats;
		GenerationLimits limits = (stats != null) ? stats.limits() : GenerationLimits.NONE;
		long requests = (stats != null) ? stats.requestsServed() : 0;
		MemoryRecorder memory = this.memory;
		MemorySnapshot atStart = (memory != null) ? memory.atStart() : null;
		MemorySnapshot atEnd = (memory != null) ? memory.atEnd() : null;
		LeakVerdict verdict = (memory != null) ? memory.verdict() : null;
		String noVerdict = (memory != null) ? memory.noVerdictReason() : null;
		this.history.add(new GenerationRecord(this.generation.get(), reason, note, requests, limits.maxRequests(),
				limits.maxLifetime(), this.startedAt, Instant.now(), null, atStart, atEnd, verdict, noVerdict));
		if (atEnd != null) {
			String change = MemorySnapshot.describeChange(atStart, atEnd);
			if (verdict != null && verdict.leakSuspected()) {
				logger.warn("Generation {} ended after {} requests ({}): {}; {}", this.generation.get(), requests,
						reason, change, verdict.summary());
			}
			else {
				logger.info("Generation {} ended after {} requests ({}): {}", this.generation.get(), requests, reason,
						(verdict != null) ? change + "; " + verdict.summary()
								: (noVerdict != null) ? change + "; " + noVerdict : change);
			}
		}
	}

	/**
	 * Return the current generation number, 1 for the context the JVM started with.
	 * @return the generation number
	 */
	public int getGeneration() {
		return this.generation.get();
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
		synchronized (this.statistics) {
			return this.statistics.requestsServed(this.stats);
		}
	}

	/**
	 * Return the memory of the current generation once it was warm.
	 * @return the snapshot, or {@code null} before the warm-up or without a recorder
	 */
	public @Nullable MemorySnapshot getMemoryAtStart() {
		MemoryRecorder memory = this.memory;
		return (memory != null) ? memory.atStart() : null;
	}

	/**
	 * Return how many memory samples the current generation has so far.
	 * @return the sample count, 0 before the warm-up or without a recorder
	 */
	public int getMemorySampleCount() {
		MemoryRecorder memory = this.memory;
		return (memory != null) ? memory.sampleCount() : 0;
	}

	/**
	 * Return the memory of the last ended generation as it started to close.
	 * @return the snapshot, or {@code null} before the first generation ended
	 */
	public @Nullable MemorySnapshot getLastMemoryAtEnd() {
		List<GenerationRecord> records = this.history.records();
		return records.isEmpty() ? null : records.get(records.size() - 1).memoryAtEnd();
	}

	/**
	 * Return the counts of the whole JVM, across generations.
	 * @return the statistics
	 */
	public RecyclerStatistics getStatistics() {
		return this.statistics;
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
		return type.cast(this.shared.computeIfAbsent(type, (key) -> factory.get()));
	}

	/**
	 * Return the state of the current generation.
	 * @return the state
	 */
	public RecyclerState getState() {
		return this.state;
	}

	/**
	 * Return why the current generation ends if it is closing now: the recycle's reason
	 * while a recycle is under way, {@link #SHUTDOWN} otherwise (SIGTERM or a plain close).
	 * @return the reason
	 */
	public String getEndingReason() {
		return this.recycling.get() ? this.recycleReason : SHUTDOWN;
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
		return this.startedAt;
	}

	/**
	 * Return the records of the last generations, oldest first.
	 * @return the records
	 */
	public List<GenerationRecord> getHistory() {
		return this.history.records();
	}

	/**
	 * Return the running context of the current generation, if any.
	 * @return the context or {@code null} during a restart
	 */
	public @Nullable ConfigurableApplicationContext getContext() {
		return this.context;
	}

	/**
	 * Return the counters and limits of the current generation, if any.
	 * @return the stats or {@code null} during a restart
	 */
	public @Nullable GenerationStats getStats() {
		return this.stats;
	}

	/**
	 * Return a temporary directory that every generation shares, created on first use and
	 * deleted with its content when the JVM exits, so that a web server that needs a base
	 * directory does not leave a new one behind on every restart, nor one per run.
	 * @param name what the directory is for, part of its name
	 * @return the directory
	 */
	public File sharedDirectory(String name) {
		return this.directories.computeIfAbsent(name, (key) -> {
			try {
				File directory = Files.createTempDirectory("recycling-" + key + "-").toFile();
				// a thread of its own that knows only the path: it keeps no generation alive
				Path path = directory.toPath();
				Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteQuietly(path), "recycling-delete-" + key));
				return directory;
			}
			catch (IOException ex) {
				throw new UncheckedIOException("Could not create a temporary directory for " + key, ex);
			}
		});
	}

	private static void deleteQuietly(Path directory) {
		try {
			FileSystemUtils.deleteRecursively(directory);
		}
		catch (IOException ex) {
			// the JVM is exiting: a directory left in the temporary directory is all that is lost
		}
	}

	/**
	 * Return the listening sockets held across restarts.
	 * @return the held sockets
	 */
	public HeldServerSockets getHeldSockets() {
		return this.heldSockets;
	}

}
