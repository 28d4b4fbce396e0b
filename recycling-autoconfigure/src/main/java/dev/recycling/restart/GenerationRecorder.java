package dev.recycling.restart;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.recycling.memory.AcrossGenerations;
import dev.recycling.memory.LeakVerdict;
import dev.recycling.memory.MemoryRecorder;
import dev.recycling.memory.MemorySnapshot;
import dev.recycling.trigger.GenerationLimits;
import dev.recycling.trigger.GenerationStats;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.ApplicationContext;

/**
 * Records the generations of a JVM: which ones are alive, the record and log line each
 * leaves when it ends, failed starts, and the counts of the whole JVM.
 * <p>
 * It keeps a generation's object only while the generation is alive; what stays afterwards
 * ({@link GenerationRecord}, {@link RecyclerStatistics}) holds values only.
 *
 * @author recycling team
 */
final class GenerationRecorder {

	private static final Logger logger = LoggerFactory.getLogger(Recycler.class);

	private final List<Generation> live = new CopyOnWriteArrayList<>();

	private final GenerationHistory history;

	private final RecyclerStatistics statistics = new RecyclerStatistics();

	private final AcrossGenerations acrossGenerations = new AcrossGenerations();

	GenerationRecorder(int historySize) {
		this.history = new GenerationHistory(historySize);
	}

	void add(Generation generation) {
		this.live.add(generation);
	}

	@Nullable Generation find(ApplicationContext context) {
		for (Generation generation : this.live) {
			if (generation.context() == context) {
				return generation;
			}
		}
		return null;
	}

	/**
	 * Drop a generation that has ended, adding its requests to those of the JVM.
	 * @param generation the generation
	 */
	void forget(Generation generation) {
		// counted and dropped in one step, so that the JVM's request count never counts it twice
		synchronized (this.statistics) {
			if (this.live.remove(generation)) {
				GenerationStats stats = generation.stats();
				if (stats != null) {
					this.statistics.generationEnded(stats.requestsServed());
				}
			}
		}
	}

	long requestsServed() {
		synchronized (this.statistics) {
			long live = 0;
			for (Generation generation : this.live) {
				GenerationStats stats = generation.stats();
				live += (stats != null) ? stats.requestsServed() : 0;
			}
			return this.statistics.requestsServed(live);
		}
	}

	void resize(int historySize) {
		this.history.resize(historySize);
	}

	void recycleStarted(String reason) {
		this.statistics.recycleStarted(reason);
	}

	/**
	 * Record that the next generation serves.
	 * @param previous the number of the generation it replaced
	 * @param restart from the decision to the next generation serving
	 * @param recorded whether the previous generation's record is already written (it is
	 * after a sequential restart, and gets the duration now)
	 */
	void restartCompleted(int previous, Duration restart, boolean recorded) {
		if (recorded) {
			this.history.completeRestart(previous, restart);
		}
		this.statistics.restartCompleted(restart);
	}

	void startFailed(StartFailure failure) {
		this.statistics.startFailed();
		this.history.addStartFailure(failure);
	}

	/**
	 * Take a generation's end memory, once: an overlapped generation's end is taken before
	 * the next one starts, whose objects would otherwise count as this one's growth (after
	 * a failed start it stays the first attempt's).
	 * @param generation the generation
	 */
	static void endMemory(Generation generation) {
		MemoryRecorder memory = generation.memory();
		if (memory != null && generation.memoryEnding()) {
			try {
				memory.end();
			}
			catch (RuntimeException ex) {
				logger.warn("Could not record the memory of generation {}", generation.number(), ex);
			}
		}
	}

	/**
	 * Write the record of a generation that has closed, and its log line.
	 * @param generation the generation
	 * @param reason why it ended
	 * @param note an operator's note, or {@code null}
	 * @param replacement how the next generation replaced it, or {@code null} if none did
	 */
	void recordEnd(Generation generation, String reason, @Nullable String note, @Nullable Replacement replacement) {
		GenerationStats stats = generation.stats();
		GenerationLimits limits = (stats != null) ? stats.limits() : GenerationLimits.NONE;
		long requests = (stats != null) ? stats.requestsServed() : 0;
		MemoryRecorder memory = generation.memory();
		MemorySnapshot atStart = (memory != null) ? memory.atStart() : null;
		MemorySnapshot atEnd = (memory != null) ? memory.atEnd() : null;
		LeakVerdict verdict = (memory != null) ? memory.verdict() : null;
		String noVerdict = (memory != null) ? memory.noVerdictReason() : null;
		this.history.add(new GenerationRecord(generation.number(), reason, note, requests, limits.maxRequests(),
				limits.maxLifetime(), generation.startedAt(), Instant.now(),
				(replacement != null) ? replacement.restart() : null, atStart, atEnd, verdict, noVerdict,
				(replacement != null) ? replacement.name() : null,
				(replacement != null) ? replacement.note() : null,
				(replacement != null) ? replacement.handedOverAt() : null,
				(replacement != null) ? replacement.overlap() : null,
				(replacement != null) ? replacement.failedStarts() : 0));
		if (replacement != null && replacement.overlap() != null) {
			this.statistics.overlapCompleted(replacement.overlap());
		}
		if (atEnd != null) {
			logEnd(generation.number(), requests, reason, atStart, atEnd, verdict, noVerdict);
		}
		MemorySnapshot leanest = (memory != null) ? memory.leanest() : null;
		if (leanest != null) {
			AcrossGenerations.Verdict across = this.acrossGenerations.add(generation.number(), leanest,
					memory.histogramAtEnd());
			if (across.suspected()) {
				logger.warn("After generation {}: {}", generation.number(), across.summary());
			}
			else {
				logger.debug("After generation {}: {}", generation.number(), across.summary());
			}
		}
	}

	private static void logEnd(int number, long requests, String reason, @Nullable MemorySnapshot atStart,
			MemorySnapshot atEnd, @Nullable LeakVerdict verdict, @Nullable String noVerdict) {
		String change = MemorySnapshot.describeChange(atStart, atEnd);
		if (verdict != null && verdict.leakSuspected()) {
			logger.warn("Generation {} ended after {} requests ({}): {}; {}", number, requests, reason, change,
					verdict.summary());
		}
		else {
			logger.info("Generation {} ended after {} requests ({}): {}", number, requests, reason,
					(verdict != null) ? change + "; " + verdict.summary()
							: (noVerdict != null) ? change + "; " + noVerdict : change);
		}
	}

	List<GenerationRecord> history() {
		return this.history.records();
	}

	List<StartFailure> startFailures() {
		return this.history.startFailures();
	}

	RecyclerStatistics statistics() {
		return this.statistics;
	}

	AcrossGenerations acrossGenerations() {
		return this.acrossGenerations;
	}

	/**
	 * How the next generation replaced a recycled one.
	 *
	 * @param strategy how it was replaced
	 * @param note why the strategy differs from the configured one, or {@code null}
	 * @param handedOverAt when the next generation took over (overlap)
	 * @param restart from the decision to the next generation serving, if known yet
	 * @param overlap how long the two generations were alive together (overlap)
	 * @param failedStarts failed starts of a next generation before this one
	 */
	record Replacement(RestartStrategy strategy, @Nullable String note, @Nullable Instant handedOverAt,
			@Nullable Duration restart, @Nullable Duration overlap, int failedStarts) {

		String name() {
			return this.strategy.name().toLowerCase(Locale.ROOT);
		}

	}

}
