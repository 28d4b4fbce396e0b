package dev.recycling.restart;

import java.time.Duration;
import java.time.Instant;

import dev.recycling.memory.LeakVerdict;
import dev.recycling.memory.MemorySnapshot;
import org.jspecify.annotations.Nullable;

/**
 * What one generation did, kept after its context is gone.
 *
 * @param generation the generation number, 1 for the context the JVM started with
 * @param reason why it ended ({@code max-requests}, {@code max-lifetime}, {@code manual},
 * {@code shutdown}, ...)
 * @param note what the operator said when asking for a manual recycle, or {@code null}
 * @param requestsServed completed application requests
 * @param maxRequests the drawn request limit, 0 for none
 * @param maxLifetime the drawn lifetime limit, {@code null} for none
 * @param startedAt when its context was ready
 * @param endedAt when its context was closed
 * @param restartDuration from the recycle decision until the next generation was ready,
 * {@code null} until then or when there is no next generation
 * @param memoryAtStart memory once the generation was warm, {@code null} if it ended before
 * @param memoryAtEnd memory as the generation started to close, {@code null} if not recorded
 * @param leakVerdict whether the generation looks like it leaked, {@code null} if it ended
 * before it was warm or its memory was not recorded
 * @param noVerdictReason why there is no verdict and what to change, {@code null} if there is
 * one or memory was not recorded
 * @param strategy how the next generation replaced it ({@code overlap} or {@code sequential}),
 * {@code null} when it was not recycled by a context restart
 * @param strategyNote why a recycle meant to overlap ran sequentially, {@code null} otherwise
 * @param handedOverAt when the next generation took over the socket (overlap), {@code null}
 * otherwise
 * @param overlap how long two generations were alive at once: from the recycle decision
 * until this generation had closed (overlap), {@code null} otherwise
 * @param failedStarts attempts to start its next generation that failed before one started
 * @author recycling team
 */
public record GenerationRecord(int generation, String reason, @Nullable String note, long requestsServed,
		long maxRequests, @Nullable Duration maxLifetime, Instant startedAt, Instant endedAt,
		@Nullable Duration restartDuration, @Nullable MemorySnapshot memoryAtStart,
		@Nullable MemorySnapshot memoryAtEnd, @Nullable LeakVerdict leakVerdict, @Nullable String noVerdictReason,
		@Nullable String strategy, @Nullable String strategyNote, @Nullable Instant handedOverAt,
		@Nullable Duration overlap, int failedStarts) {

	GenerationRecord withRestartDuration(Duration duration) {
		return new GenerationRecord(this.generation, this.reason, this.note, this.requestsServed, this.maxRequests,
				this.maxLifetime, this.startedAt, this.endedAt, duration, this.memoryAtStart, this.memoryAtEnd,
				this.leakVerdict, this.noVerdictReason, this.strategy, this.strategyNote, this.handedOverAt, this.overlap,
				this.failedStarts);
	}

	/**
	 * Return how long the generation lived.
	 * @return its lifetime
	 */
	public Duration lifetime() {
		return Duration.between(this.startedAt, this.endedAt);
	}

}
