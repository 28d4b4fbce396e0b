package dev.recycling.drain;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;

import dev.recycling.drain.DrainGate.DrainSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link DrainGate}, on a simulated clock: each poll advances time, and the
 * simulated load balancer and clients act at given times.
 */
@ExtendWith(OutputCaptureExtension.class)
class DrainGateTests {

	private static final DrainSettings SETTINGS = new DrainSettings(Duration.ofSeconds(2), Duration.ofSeconds(20),
			Duration.ofSeconds(30));

	private final AtomicLong clock = new AtomicLong(1_000_000_000_000L);

	private final RequestActivity activity = new RequestActivity(this.clock::get);

	private final AtomicInteger refused = new AtomicInteger();

	private LongConsumer world = (now) -> {
	};

	private void probeEverySecond(int probes) {
		for (int i = 0; i < probes; i++) {
			if (i > 0) {
				this.clock.addAndGet(Duration.ofSeconds(1).toNanos());
			}
			this.activity.readinessProbeAnswered(200);
		}
	}

	private DrainGate gate(DrainSettings settings) {
		return new DrainGate(this.activity, new AcceptQueueReader(List.of(Path.of("/nonexistent"))), () -> 8080,
				this.refused::incrementAndGet, settings, this.clock::get, (duration) -> {
					this.clock.addAndGet(duration.toNanos());
					this.world.accept(this.clock.get());
				});
	}

	@Test
	void nobodyWatchingPassesAtOnce() throws InterruptedException {
		DrainReport report = gate(SETTINGS).drain(true);
		assertThat(this.refused).hasValue(1);
		assertThat(report.watched()).isFalse();
		assertThat(report.total()).isZero();
		assertThat(report.timedOut()).isFalse();
	}

	@Test
	void probeOutsideTheWindowDoesNotCountAsWatching() throws InterruptedException {
		// a kubelet probing every 20 s, the last one 31 s ago: outside the 30 s window
		this.activity.readinessProbeAnswered(200);
		this.clock.addAndGet(Duration.ofSeconds(20).toNanos());
		this.activity.readinessProbeAnswered(200);
		this.clock.addAndGet(Duration.ofSeconds(31).toNanos());
		assertThat(gate(SETTINGS).drain(true).watched()).isFalse();
	}

	@Test
	void aSlowButRegularProberWithinTheWindowIsAWatcher() throws InterruptedException {
		this.activity.readinessProbeAnswered(200);
		this.clock.addAndGet(Duration.ofSeconds(10).toNanos());
		this.activity.readinessProbeAnswered(200);
		this.clock.addAndGet(Duration.ofSeconds(9).toNanos());
		assertThat(gate(SETTINGS).isWatched()).isTrue();
	}

	@Test
	void aOneOffReadinessCheckIsNotAWatcher() throws InterruptedException {
		// a deploy script that waited for the application to come up
		this.activity.readinessProbeAnswered(200);
		this.clock.addAndGet(Duration.ofSeconds(5).toNanos());
		DrainReport report = gate(SETTINGS).drain(true);
		assertThat(report.watched()).isFalse();
		assertThat(report.total()).isZero();
	}

	@Test
	void probesThatStoppedSeveralIntervalsAgoAreNotAWatcher() throws InterruptedException {
		probeEverySecond(4);
		this.clock.addAndGet(Duration.ofSeconds(5).toNanos());
		assertThat(gate(SETTINGS).isWatched()).as("5 s after the last of probes a second apart").isFalse();
	}

	@Test
	void aWatcherThatStopsProbingIsWaitedForAFewIntervalsNotTheWholeTimeout() throws InterruptedException {
		probeEverySecond(4);
		DrainReport report = gate(SETTINGS).drain(true);
		assertThat(report.watched()).isTrue();
		assertThat(report.waitedForNotReady()).isBetween(Duration.ofSeconds(3), Duration.ofMillis(3_010));
		assertThat(report.total()).as("three intervals and the quiet period, not the 20 s timeout")
			.isBetween(Duration.ofSeconds(5), Duration.ofMillis(5_020));
		assertThat(report.timedOut()).isFalse();
	}

	@Test
	void watchedWaitsForNotReadyThenForTheQuietPeriod() throws InterruptedException {
		probeEverySecond(2);
		long start = this.clock.get();
		long probeAt = start + Duration.ofMillis(1_500).toNanos();
		long lastRequestAt = start + Duration.ofMillis(2_500).toNanos();
		this.world = (now) -> {
			if (now - probeAt >= 0 && now - probeAt < Duration.ofMillis(10).toNanos()) {
				this.activity.readinessProbeAnswered(503);
			}
			// the load balancer keeps sending for a second after it saw "not ready"
			if (now - probeAt > 0 && now - lastRequestAt <= 0) {
				this.activity.applicationRequestStarted();
				this.activity.applicationRequestFinished();
			}
		};
		DrainReport report = gate(SETTINGS).drain(true);
		assertThat(report.watched()).isTrue();
		assertThat(report.waitedForNotReady()).isBetween(Duration.ofMillis(1_500), Duration.ofMillis(1_510));
		// quiet period counted from the last request, at 2.5 s
		assertThat(report.total()).isBetween(Duration.ofMillis(4_500), Duration.ofMillis(4_520));
		assertThat(report.requestsDuringDrain()).isGreaterThan(50);
		assertThat(report.timedOut()).isFalse();
	}

	@Test
	void waitsForInFlightRequests() throws InterruptedException {
		this.activity.applicationRequestStarted();
		long doneAt = this.clock.get() + Duration.ofSeconds(3).toNanos();
		this.world = (now) -> {
			if (now - doneAt >= 0 && this.activity.inFlight() > 0) {
				this.activity.applicationRequestFinished();
			}
		};
		DrainReport report = gate(SETTINGS).drain(true);
		assertThat(report.waitedForInFlight()).isBetween(Duration.ofSeconds(3), Duration.ofMillis(3_010));
		assertThat(report.timedOut()).isFalse();
	}

	@Test
	void neverLongerThanTheTimeout() throws InterruptedException {
		probeEverySecond(2);
		this.activity.applicationRequestStarted();
		DrainReport report = gate(new DrainSettings(Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(30)))
			.drain(true);
		assertThat(report.timedOut()).isTrue();
		assertThat(report.total()).isBetween(Duration.ofSeconds(5), Duration.ofMillis(5_010));
	}

	@Test
	void waitsForTheAcceptQueueOnlyWhileAccepting(@org.junit.jupiter.api.io.TempDir Path directory) throws Exception {
		Path table = java.nio.file.Files.write(directory.resolve("tcp"), List.of(
				"   0: 00000000:1F90 00000000:0000 0A 00000064:00000003 00:00000000 00000000     0        0 4711 1 0 100 0 0 10 0"));
		DrainGate gate = new DrainGate(this.activity, new AcceptQueueReader(List.of(table)), () -> 8080, () -> {
		}, SETTINGS, this.clock::get, (duration) -> this.clock.addAndGet(duration.toNanos()));
		DrainReport notAccepting = gate.drain(false);
		assertThat(notAccepting.timedOut()).isFalse();
		assertThat(notAccepting.acceptQueueChecked()).isFalse();
		DrainReport accepting = gate.drain(true);
		assertThat(accepting.acceptQueueChecked()).isTrue();
		assertThat(accepting.timedOut()).isTrue();
	}

	@Test
	void aTimeoutWhileRequestsKeepArrivingSaysSo(CapturedOutput output) throws InterruptedException {
		this.world = (now) -> {
			this.activity.applicationRequestStarted();
			this.activity.applicationRequestFinished();
		};
		this.activity.applicationRequestStarted();
		DrainReport report = gate(new DrainSettings(Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(30)))
			.drain(true);
		assertThat(report.timedOut()).isTrue();
		assertThat(output).contains("Drain timed out after 5s (recycling.drain.timeout=5s): requests kept arriving")
			.doesNotContain("in flight");
	}

	@Test
	void aTimeoutWithARequestStuckInFlightSaysSo(CapturedOutput output) throws InterruptedException {
		this.activity.applicationRequestStarted();
		gate(new DrainSettings(Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(30))).drain(true);
		assertThat(output).contains("1 requests still in flight").doesNotContain("kept arriving");
	}

	@Test
	void requestsStartedDuringTheDrainAreCounted() throws InterruptedException {
		this.activity.applicationRequestStarted();
		this.activity.applicationRequestFinished();
		this.activity.startDraining();
		this.activity.applicationRequestStarted();
		this.activity.applicationRequestFinished();
		assertThat(this.activity.startedWhileDraining()).isEqualTo(1);
		assertThat(this.activity.inFlight()).isZero();
	}

}
