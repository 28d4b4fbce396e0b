package dev.recycling.actuate;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

import dev.recycling.fleet.FleetBudget;
import dev.recycling.memory.ClassGrowth;
import dev.recycling.memory.AcrossGenerations;
import dev.recycling.memory.LeakVerdict;
import dev.recycling.memory.MemorySnapshot;
import dev.recycling.restart.GenerationRecord;
import dev.recycling.restart.RecycleMode;
import dev.recycling.restart.Recycler;
import dev.recycling.restart.RecyclerState;
import dev.recycling.restart.StartFailure;
import dev.recycling.trigger.GenerationLimits;
import dev.recycling.trigger.GenerationStats;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.convert.DurationStyle;

/**
 * The {@code recycling} actuator endpoint: what the current generation is doing and what
 * the last ones did; a write starts a graceful recycle.
 * <p>
 * Read-only unless the user opts in with
 * {@code management.endpoint.recycling.access=unrestricted}.
 *
 * @author recycling team
 */
@Endpoint(id = "recycling", defaultAccess = Access.READ_ONLY)
public class RecyclingEndpoint {

	/**
	 * Longest note kept from a recycle request.
	 */
	static final int MAX_NOTE_LENGTH = 200;

	private final Recycler recycler;

	private final RecycleMode mode;

	private final Duration drainTimeout;

	private final @Nullable Supplier<FleetBudget.Status> fleet;

	/**
	 * Create the endpoint.
	 * @param recycler the recycler
	 * @param mode what a recycle does
	 * @param drainTimeout the longest drain, told to the caller of a recycle
	 */
	public RecyclingEndpoint(Recycler recycler, RecycleMode mode, Duration drainTimeout) {
		this(recycler, mode, drainTimeout, null);
	}

	/**
	 * Create the endpoint of an instance of a fleet with a recycle budget.
	 * @param recycler the recycler
	 * @param mode what a recycle does
	 * @param drainTimeout the longest drain, told to the caller of a recycle
	 * @param fleet the status of the fleet's recycle budget, or {@code null} without one
	 */
	public RecyclingEndpoint(Recycler recycler, RecycleMode mode, Duration drainTimeout,
			@Nullable Supplier<FleetBudget.Status> fleet) {
		this.recycler = recycler;
		this.mode = mode;
		this.drainTimeout = drainTimeout;
		this.fleet = fleet;
	}

	/**
	 * Describe the current generation and the last ones.
	 * @return the description
	 */
	@ReadOperation
	public RecyclingDescriptor recycling() {
		GenerationStats stats = this.recycler.getStats();
		GenerationLimits limits = (stats != null) ? stats.limits() : GenerationLimits.NONE;
		Instant startedAt = this.recycler.getStartedAt();
		Duration maxLifetime = limits.maxLifetime();
		return new RecyclingDescriptor(this.recycler.getGeneration(), this.recycler.getState().name(),
				mode(this.mode), (stats != null) ? stats.requestsServed() : 0,
				new LimitsDescriptor((limits.maxRequests() > 0) ? limits.maxRequests() : null,
						(maxLifetime != null) ? maxLifetime.toString() : null),
				startedAt.toString(), Duration.between(startedAt, Instant.now()).toString(),
				this.recycler.getRecycleCount(), this.recycler.getRequestsServed(),
				this.recycler.getStatistics().recyclesByReason(), memory(this.recycler.getMemoryAtStart()),
				this.recycler.getMemorySampleCount(), across(this.recycler.getAcrossGenerations()),
				newestFirst(this.recycler.getHistory()), startFailures(this.recycler.getStartFailures()),
				(this.fleet != null) ? fleet(this.fleet.get()) : null);
	}

	private static FleetDescriptor fleet(FleetBudget.Status status) {
		Instant since = status.waitingSince();
		return new FleetDescriptor(status.fleet(), status.slots(), status.lease().toString(),
				status.maxWait().toString(), status.heldSlot(), status.waiting(), status.waitingReason(),
				(since != null) ? since.toString() : null, status.lastError(), status.waits(), status.unbudgeted(),
				status.recentRecycles().stream().map(RecyclingEndpoint::hold).toList());
	}

	private static HoldDescriptor hold(FleetBudget.Hold hold) {
		Instant endedAt = hold.endedAt();
		return new HoldDescriptor(hold.slot(), hold.reason(), hold.startedAt().toString(),
				(endedAt != null) ? endedAt.toString() : null);
	}

	private static List<StartFailureDescriptor> startFailures(List<StartFailure> failures) {
		List<StartFailureDescriptor> descriptors = new ArrayList<>(failures.size());
		for (int i = failures.size() - 1; i >= 0; i--) {
			StartFailure failure = failures.get(i);
			descriptors.add(new StartFailureDescriptor(failure.generation(), failure.at().toString(), failure.cause(),
					failure.retryIn().toString()));
		}
		return descriptors;
	}

	/**
	 * Start a graceful recycle and return at once.
	 * @param reason a note kept in the generation's record, or {@code null}
	 * @return what happens next
	 */
	@WriteOperation
	public RecycleDescriptor recycle(@Nullable String reason) {
		String note = note(reason);
		int generation = this.recycler.getGeneration();
		if (!this.recycler.recycle(Recycler.MANUAL, note)) {
			return new RecycleDescriptor(false, generation, Recycler.MANUAL, note,
					"Not started: generation " + generation + " is " + this.recycler.getState()
							+ " (one recycle at a time; retry once it is SERVING)",
					null);
		}
		if (this.recycler.getState() == RecyclerState.STARTING_NEXT) {
			return new RecycleDescriptor(true, generation, Recycler.MANUAL, note, "Generation " + generation
					+ " keeps serving while generation " + (generation + 1) + " starts next to it on the same "
					+ "listening socket; once that one is ready it takes the new connections, and generation "
					+ generation + " serves what it accepted (at most " + DurationStyle.SIMPLE.print(this.drainTimeout)
					+ "), runs its shutdown hooks and closes. Readiness does not change.", this.drainTimeout.toString());
		}
		String next = (this.mode == RecycleMode.CONTEXT)
				? "then the application context restarts in this JVM as generation " + (generation + 1)
						+ " on the same listening socket"
				: "then the JVM exits (recycling.mode=exit) for its supervisor to start a new one";
		return new RecycleDescriptor(true, generation, Recycler.MANUAL, note,
				"Generation " + generation + " drains (readiness down, in-flight requests served, at most "
						+ DurationStyle.SIMPLE.print(this.drainTimeout) + "), runs its shutdown hooks, " + next,
				this.drainTimeout.toString());
	}

	// free text from a request: single line, bounded, never a metric tag
	static @Nullable String note(@Nullable String reason) {
		if (reason == null) {
			return null;
		}
		String line = reason.replaceAll("\\p{Cntrl}", " ").strip();
		if (line.isEmpty()) {
			return null;
		}
		return (line.length() > MAX_NOTE_LENGTH) ? line.substring(0, MAX_NOTE_LENGTH) : line;
	}

	private static String mode(RecycleMode mode) {
		return mode.name().toLowerCase(Locale.ROOT);
	}

	private static List<GenerationDescriptor> newestFirst(List<GenerationRecord> records) {
		List<GenerationDescriptor> descriptors = new ArrayList<>(records.size());
		for (int i = records.size() - 1; i >= 0; i--) {
			descriptors.add(record(records.get(i)));
		}
		return descriptors;
	}

	private static GenerationDescriptor record(GenerationRecord record) {
		Duration maxLifetime = record.maxLifetime();
		Duration restart = record.restartDuration();
		LeakVerdict verdict = record.leakVerdict();
		return new GenerationDescriptor(record.generation(), record.reason(), record.note(), record.requestsServed(),
				(record.maxRequests() > 0) ? record.maxRequests() : null,
				(maxLifetime != null) ? maxLifetime.toString() : null, record.startedAt().toString(),
				record.endedAt().toString(), record.lifetime().toString(),
				(restart != null) ? restart.toString() : null, memory(record.memoryAtStart()),
				memory(record.memoryAtEnd()), (verdict != null) ? verdict.leakSuspected() : null,
				(verdict != null) ? verdict.evidence() : List.of(), leak(verdict), record.noVerdictReason(),
				record.strategy(), record.strategyNote(),
				(record.handedOverAt() != null) ? String.valueOf(record.handedOverAt()) : null,
				(record.overlap() != null) ? String.valueOf(record.overlap()) : null, record.failedStarts());
	}

	private static @Nullable AcrossGenerationsDescriptor across(AcrossGenerations across) {
		AcrossGenerations.Verdict verdict = across.verdict();
		if (verdict == null) {
			return null;
		}
		Map<Integer, Long> baselines = new LinkedHashMap<>();
		for (AcrossGenerations.Baseline baseline : across.baselines()) {
			baselines.put(baseline.generation(), baseline.heapAfterGcBytes());
		}
		Double growth = verdict.heapGrowthPerGeneration();
		return new AcrossGenerationsDescriptor(verdict.suspected(), verdict.summary(), verdict.evidence(),
				(growth != null) ? Math.round(growth) : null, baselines);
	}

	private static @Nullable LeakDescriptor leak(@Nullable LeakVerdict verdict) {
		if (verdict == null) {
			return null;
		}
		Double perThousand = verdict.heapGrowthPerThousandRequests();
		return new LeakDescriptor(verdict.summary(), verdict.heapSamples(),
				(perThousand != null) ? Math.round(perThousand) : null, verdict.heapFit(), verdict.topGrowthByBytes(),
				verdict.topApplicationGrowthByInstances());
	}

	private static @Nullable MemoryDescriptor memory(@Nullable MemorySnapshot snapshot) {
		if (snapshot == null) {
			return null;
		}
		return new MemoryDescriptor(snapshot.at().toString(), snapshot.requests(), snapshot.heapAfterGcBytes(),
				snapshot.heapMaxBytes(), snapshot.rssBytes(), snapshot.metaspaceBytes(), snapshot.directBufferBytes(),
				snapshot.liveThreads(), snapshot.openFileDescriptors(), snapshot.loadedClasses());
	}

	/**
	 * The current generation and the last ones.
	 *
	 * @param generation the current generation number
	 * @param state {@code SERVING}, {@code STARTING_NEXT} (serving while the next generation
	 * starts), {@code DRAINING} or {@code RESTARTING}
	 * @param mode what a recycle does: {@code context} or {@code exit}
	 * @param requestsServed application requests counted in this generation
	 * @param limits the limits drawn for this generation
	 * @param startedAt when this generation became ready
	 * @param age how long it has been serving (ISO-8601 duration)
	 * @param recycles recycles in this JVM
	 * @param totalRequestsServed application requests counted in every generation
	 * @param recyclesByReason recycles in this JVM by reason
	 * @param memoryAtStart this generation's memory once it was warm, {@code null} before
	 * @param memorySamples memory samples this generation has so far, for its leak verdict
	 * @param acrossGenerations whether memory survives recycles, from the baselines of the
	 * last generations; {@code null} before the first generation with a baseline ended
	 * @param history records of the last generations, newest first
	 * @param startFailures next generations that failed to start while this JVM kept
	 * serving, newest first
	 * @param fleet the fleet's recycle budget, {@code null} without one
	 */
	public record RecyclingDescriptor(int generation, String state, String mode, long requestsServed,
			LimitsDescriptor limits, String startedAt, String age, int recycles, long totalRequestsServed,
			Map<String, Long> recyclesByReason, @Nullable MemoryDescriptor memoryAtStart, int memorySamples,
			@Nullable AcrossGenerationsDescriptor acrossGenerations, List<GenerationDescriptor> history,
			List<StartFailureDescriptor> startFailures, @Nullable FleetDescriptor fleet) {

	}

	/**
	 * The recycle budget of the fleet this instance belongs to.
	 *
	 * @param name the fleet's name
	 * @param maxConcurrentRecycles how many of its instances may recycle at once
	 * @param lease how long a slot is held at most (ISO-8601 duration)
	 * @param maxWait how long a recycle waits for a slot at most (ISO-8601 duration)
	 * @param heldSlot the slot this instance holds while it recycles (from 1), or
	 * {@code null}
	 * @param waiting whether a recycle of this instance waits for a slot, serving meanwhile
	 * @param waitingReason the reason of the recycle that waits, or {@code null}
	 * @param waitingSince when it started to wait, or {@code null}
	 * @param lastError why the leases could not be read at the last try, or {@code null}
	 * @param waits how many recycles of this JVM had to wait
	 * @param unbudgeted how many went on without a slot after max-wait
	 * @param recentRecycles the last recycles the budget admitted, oldest first
	 */
	public record FleetDescriptor(String name, int maxConcurrentRecycles, String lease, String maxWait,
			@Nullable Integer heldSlot, boolean waiting, @Nullable String waitingReason, @Nullable String waitingSince,
			@Nullable String lastError, long waits, long unbudgeted, List<HoldDescriptor> recentRecycles) {

	}

	/**
	 * A recycle the fleet's budget admitted.
	 *
	 * @param slot the slot it held (from 1), or {@code null} if it went on without one
	 * @param reason why it recycled
	 * @param startedAt when it was admitted
	 * @param endedAt when it ended (the next generation served, or failed to start), or
	 * {@code null} while under way
	 */
	public record HoldDescriptor(@Nullable Integer slot, String reason, String startedAt, @Nullable String endedAt) {

	}

	/**
	 * Whether memory survives recycles.
	 *
	 * @param suspected whether a figure rises steadily from one generation's baseline to the
	 * next
	 * @param summary the verdict, what it rests on and what to do
	 * @param evidence the findings; empty when none
	 * @param heapGrowthPerGenerationBytes heap after GC gained per generation, {@code null}
	 * before enough generations
	 * @param baselines each generation's leanest heap after GC, oldest first: generation
	 * number and bytes
	 */
	public record AcrossGenerationsDescriptor(boolean suspected, String summary, List<String> evidence,
			@Nullable Long heapGrowthPerGenerationBytes, Map<Integer, Long> baselines) {

	}

	/**
	 * A next generation that failed to start (overlap); the current one kept serving.
	 *
	 * @param generation the number it would have had
	 * @param at when it failed
	 * @param cause the exception in one line
	 * @param retryIn how long until the recycle was tried again (ISO-8601)
	 */
	public record StartFailureDescriptor(int generation, String at, String cause, String retryIn) {

	}

	/**
	 * The drawn limits of a generation.
	 *
	 * @param maxRequests the request limit, {@code null} for none
	 * @param maxLifetime the lifetime limit (ISO-8601), {@code null} for none
	 */
	public record LimitsDescriptor(@Nullable Long maxRequests, @Nullable String maxLifetime) {

	}

	/**
	 * The record of an ended generation.
	 *
	 * @param generation its number
	 * @param reason why it ended
	 * @param note the operator's note of a manual recycle
	 * @param requestsServed completed application requests
	 * @param maxRequests its drawn request limit
	 * @param maxLifetime its drawn lifetime limit
	 * @param startedAt when it became ready
	 * @param endedAt when its context closed
	 * @param lifetime how long it lived
	 * @param restartDuration from the recycle decision until the next generation was ready
	 * @param memoryAtStart memory once it was warm
	 * @param memoryAtEnd memory as it started to close
	 * @param leakSuspected whether it looks like it leaked; {@code null} if it ended before
	 * it was warm
	 * @param evidence the findings behind the suspicion, empty when none
	 * @param leak the verdict in detail
	 * @param noVerdictReason why there is no verdict and what to change
	 * @param strategy how the next generation replaced it: {@code overlap} or
	 * {@code sequential}; {@code null} without a context restart
	 * @param strategyNote why a recycle meant to overlap ran sequentially
	 * @param handedOverAt when the next generation took over the socket (overlap)
	 * @param overlap how long two generations were alive at once (overlap, ISO-8601)
	 * @param failedStarts next generations that failed to start before one did
	 */
	public record GenerationDescriptor(int generation, String reason, @Nullable String note, long requestsServed,
			@Nullable Long maxRequests, @Nullable String maxLifetime, String startedAt, String endedAt,
			String lifetime, @Nullable String restartDuration, @Nullable MemoryDescriptor memoryAtStart,
			@Nullable MemoryDescriptor memoryAtEnd, @Nullable Boolean leakSuspected, List<String> evidence,
			@Nullable LeakDescriptor leak, @Nullable String noVerdictReason, @Nullable String strategy,
			@Nullable String strategyNote, @Nullable String handedOverAt, @Nullable String overlap, int failedStarts) {

	}

	/**
	 * The leak verdict of a generation in detail.
	 *
	 * @param summary the verdict in one line
	 * @param heapSamples samples of the heap after GC, each after a new collection
	 * @param heapGrowthPerThousandRequestsBytes heap after GC gained per 1 000 requests by a
	 * straight line through the samples, {@code null} with too few samples
	 * @param heapFit R² of that line (0 to 1), {@code null} with too few samples
	 * @param topGrowthByBytes with {@code recycling.memory.class-histogram}, the classes
	 * that grew most in bytes
	 * @param topApplicationGrowthByInstances with {@code recycling.memory.class-histogram},
	 * the non-JDK classes that gained most instances
	 */
	public record LeakDescriptor(String summary, int heapSamples, @Nullable Long heapGrowthPerThousandRequestsBytes,
			@Nullable Double heapFit, List<ClassGrowth> topGrowthByBytes,
			List<ClassGrowth> topApplicationGrowthByInstances) {

	}

	/**
	 * The memory of the JVM at one moment of a generation; -1 where the platform does not
	 * say.
	 *
	 * @param at when
	 * @param requests requests completed by then
	 * @param heapAfterGcBytes heap still used after the last collection
	 * @param heapMaxBytes the maximum heap
	 * @param rssBytes resident set size (Linux)
	 * @param metaspaceBytes metaspace used
	 * @param directBufferBytes direct buffers allocated
	 * @param liveThreads live threads
	 * @param openFileDescriptors open file descriptors (Linux)
	 * @param loadedClasses loaded classes
	 */
	public record MemoryDescriptor(String at, long requests, long heapAfterGcBytes, long heapMaxBytes, long rssBytes,
			long metaspaceBytes, long directBufferBytes, int liveThreads, long openFileDescriptors,
			int loadedClasses) {

	}

	/**
	 * The answer to a recycle request.
	 *
	 * @param accepted whether the recycle started
	 * @param generation the generation that recycles
	 * @param reason the recorded reason
	 * @param note the operator's note
	 * @param message what happens next, or why nothing does
	 * @param drainTimeout the longest drain (ISO-8601)
	 */
	public record RecycleDescriptor(boolean accepted, int generation, String reason, @Nullable String note,
			String message, @Nullable String drainTimeout) {

	}

}
