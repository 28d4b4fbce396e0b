package dev.recycling.restart;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.recycling.memory.MemoryRecorder;
import dev.recycling.trigger.GenerationStats;
import dev.recycling.trigger.RecycleRequester;
import org.jspecify.annotations.Nullable;

import org.springframework.context.ConfigurableApplicationContext;

/**
 * One generation: one run of the application context, as the {@link Recycler} knows it.
 * Registered in its own context as the bean {@value #BEAN_NAME}, so that the beans of a
 * generation configure and ask for their own generation's recycle; while two generations
 * overlap, each has its own.
 * <p>
 * An application can tell with {@link #isCurrent()} whether its generation is the one
 * taking new connections, for example to skip a scheduled job in a generation that is
 * about to close.
 * <p>
 * With recycling switched off ({@code recycling.enabled=false}) a context run by a
 * {@code SpringApplication} still has its generation, the only one: number 1, always
 * current, and a recycle asked of it is refused. Code that injects it runs unchanged.
 *
 * @author recycling team
 */
public final class Generation implements RecycleRequester {

	/**
	 * Name of the bean in each generation's context.
	 */
	public static final String BEAN_NAME = "recyclingGeneration";

	// none when recycling is switched off
	private final @Nullable Recycler recycler;

	private final int number;

	private final ConfigurableApplicationContext context;

	private final boolean overlapping;

	private final boolean loggingKept;

	// the logging backend's listeners when this context was prepared
	private final Set<Object> loggingListenersAtStart;

	private volatile boolean ready;

	private final AtomicBoolean memoryEnded = new AtomicBoolean();

	private volatile Settings settings = Settings.DEFAULT;

	private volatile @Nullable GenerationStats stats;

	private volatile @Nullable MemoryRecorder memory;

	private volatile @Nullable Runnable recycleStartAction;

	private final List<Runnable> handOverActions = new CopyOnWriteArrayList<>();

	private volatile @Nullable Runnable previousClosedAction;

	private final List<Runnable> closedActions = new CopyOnWriteArrayList<>();

	private volatile Instant startedAt = Instant.now();

	private volatile @Nullable String endingReason;

	// until the recycler has made it the serving generation: a recycle asked for meanwhile waits
	private volatile boolean settled;

	private volatile @Nullable String deferredRecycle;

	Generation(@Nullable Recycler recycler, int number, ConfigurableApplicationContext context, boolean overlapping,
			boolean loggingKept, Set<Object> loggingListenersAtStart) {
		this.recycler = recycler;
		this.number = number;
		this.context = context;
		this.overlapping = overlapping;
		this.loggingKept = loggingKept;
		this.loggingListenersAtStart = loggingListenersAtStart;
	}

	/**
	 * Return the generation of a context that runs with recycling switched off: the only
	 * one, always current, never recycled.
	 * @param context the context
	 * @return its generation
	 */
	static Generation withoutRecycling(ConfigurableApplicationContext context) {
		return new Generation(null, 1, context, false, false, Set.of());
	}

	/**
	 * Return the generation number, 1 for the context the JVM started with.
	 * @return the number
	 */
	public int number() {
		return this.number;
	}

	/**
	 * Return whether this generation is the one taking new connections. While the next
	 * generation starts, the current one still is; from the handover on, the next one is.
	 * @return whether this generation is current
	 */
	public boolean isCurrent() {
		Recycler recycler = this.recycler;
		return recycler == null || recycler.isCurrent(this);
	}

	/**
	 * Ask for this generation's recycle. Ignored unless this generation is current and
	 * serving, so a closing generation's triggers never recycle the next one, and with
	 * recycling switched off.
	 * @param reason why
	 * @return whether the recycle started
	 */
	@Override
	public boolean requestRecycle(String reason) {
		Recycler recycler = this.recycler;
		return recycler != null && recycler.recycle(this, reason, null);
	}

	/**
	 * Configure how this generation recycles, from its properties.
	 * @param settings the settings
	 * @param stats the generation's counters and limits
	 */
	public void configure(Settings settings, GenerationStats stats) {
		this.settings = settings;
		this.stats = stats;
		Recycler recycler = this.recycler;
		if (recycler != null) {
			recycler.resizeHistory(settings.historySize());
		}
	}

	/**
	 * Set what this generation does, synchronously, the moment a sequential recycle is
	 * decided (stop taking new connections unless a load balancer is watching).
	 * @param action the action, run on the thread that triggered the recycle
	 */
	public void onRecycleStart(Runnable action) {
		this.recycleStartAction = action;
	}

	/**
	 * Add what this generation does when the next one takes over the sockets (overlap):
	 * stop taking connections and close without the drain gate.
	 * @param action the action, run on the recycler's thread
	 */
	public void onHandOver(Runnable action) {
		this.handOverActions.add(action);
	}

	/**
	 * Set what this generation does once the generation it overlapped with has closed.
	 * @param action the action, run on the recycler's thread
	 */
	public void afterPreviousClosed(Runnable action) {
		this.previousClosedAction = action;
	}

	/**
	 * Add what releases, once this generation's context has closed after a recycle, what
	 * the context itself does not (such as its in-memory database).
	 * @param action the action, run on the recycler's thread
	 */
	public void afterClosed(Runnable action) {
		this.closedActions.add(action);
	}

	/**
	 * Set what records this generation's memory; its snapshots go into its record.
	 * @param recorder the recorder
	 */
	public void recordMemoryWith(MemoryRecorder recorder) {
		this.memory = recorder;
	}

	/**
	 * Return whether this generation started while the previous one served (overlap).
	 * @return whether it overlapped
	 */
	public boolean isOverlapping() {
		return this.overlapping;
	}

	/**
	 * Return why this generation ends if it is closing now: the recycle's reason when it is
	 * being recycled, {@link Recycler#SHUTDOWN} otherwise.
	 * @return the reason
	 */
	public String endingReason() {
		String reason = this.endingReason;
		return (reason != null) ? reason : Recycler.SHUTDOWN;
	}

	ConfigurableApplicationContext context() {
		return this.context;
	}

	Settings settings() {
		return this.settings;
	}

	@Nullable GenerationStats stats() {
		return this.stats;
	}

	@Nullable MemoryRecorder memory() {
		return this.memory;
	}

	@Nullable Runnable recycleStartAction() {
		return this.recycleStartAction;
	}

	List<Runnable> handOverActions() {
		return this.handOverActions;
	}

	List<Runnable> closedActions() {
		return this.closedActions;
	}

	@Nullable Runnable previousClosedAction() {
		return this.previousClosedAction;
	}

	Instant startedAt() {
		return this.startedAt;
	}

	void ready() {
		this.startedAt = Instant.now();
		this.ready = true;
	}

	// true the first time: the caller records the end
	boolean memoryEnding() {
		return this.memoryEnded.compareAndSet(false, true);
	}

	boolean isReady() {
		return this.ready;
	}

	// started with the logging backend left as the generation before configured it
	boolean isLoggingKept() {
		return this.loggingKept;
	}

	Set<Object> loggingListenersAtStart() {
		return this.loggingListenersAtStart;
	}

	// a recycle asked for before this generation was settled, to run once it is
	void deferRecycle(String reason) {
		if (!this.settled) {
			this.deferredRecycle = reason;
		}
	}

	// the recycler made it the serving generation; returns a recycle deferred until then
	@Nullable String settle() {
		this.settled = true;
		String deferred = this.deferredRecycle;
		this.deferredRecycle = null;
		return deferred;
	}

	void ending(@Nullable String reason) {
		this.endingReason = reason;
	}

	@Nullable String recycleReason() {
		return this.endingReason;
	}

	/**
	 * How a generation recycles, bound from its properties.
	 *
	 * @param mode restart the context or exit the JVM
	 * @param exitCode the exit status for {@link RecycleMode#EXIT}
	 * @param strategy how a context restart replaces this generation
	 * @param overlapHeapThreshold percent of the maximum heap still used after GC above
	 * which a recycle runs sequentially instead of overlapping
	 * @param retryBackoff the first wait after a failed overlapped start
	 * @param maxRetryBackoff the longest wait
	 * @param jmx whether JMX is on (MBean names exist once per JVM: no overlap)
	 * @param historySize the number of generation records kept
	 */
	public record Settings(RecycleMode mode, int exitCode, RestartStrategy strategy, double overlapHeapThreshold,
			Duration retryBackoff, Duration maxRetryBackoff, boolean jmx, int historySize) {

		static final Settings DEFAULT = new Settings(RecycleMode.CONTEXT, 0, RestartStrategy.SEQUENTIAL, 100,
				Duration.ofSeconds(30), Duration.ofMinutes(10), false, 20);

	}

}
