package dev.recycling.fleet;

import java.sql.SQLException;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import javax.sql.DataSource;

import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link FleetBudget} on a real database (H2), several instances' budgets sharing
 * one table of leases through ShedLock.
 */
class FleetBudgetTests {

	private static final Duration LONG = Duration.ofMinutes(5);

	private JdbcDataSource database;

	private final AtomicLong clock = new AtomicLong();

	@BeforeEach
	void database() {
		this.database = new JdbcDataSource();
		this.database.setURL("jdbc:h2:mem:fleet-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
	}

	@Test
	void atMostTheSlotsRecycleAtOnceAndAGivenBackSlotIsTakenByAWaitingInstance() {
		FleetBudget first = budget(2, LONG, LONG);
		FleetBudget second = budget(2, LONG, LONG);
		FleetBudget third = budget(2, LONG, LONG);
		assertThat(first.admit("max-lifetime")).isTrue();
		assertThat(second.admit("max-lifetime")).isTrue();
		assertThat(third.admit("max-lifetime")).as("a third recycle with two slots").isFalse();
		assertThat(third.status().waiting()).isTrue();
		assertThat(third.status().waitingReason()).isEqualTo("max-lifetime");
		assertThat(third.admit("max-lifetime")).as("asked again while both are held").isFalse();
		assertThat(third.status().waits()).as("one wait, however often it asks").isEqualTo(1);
		first.recycleEnded();
		assertThat(first.status().heldSlot()).isNull();
		assertThat(third.admit("max-lifetime")).isTrue();
		assertThat(third.status().waiting()).isFalse();
		assertThat(third.status().heldSlot()).isEqualTo(1);
		assertThat(third.status().unbudgeted()).isZero();
		assertThat(leasesHeld()).isEqualTo(2);
		assertThat(first.status().recentRecycles()).singleElement().satisfies((hold) -> {
			assertThat(hold.slot()).isEqualTo(1);
			assertThat(hold.reason()).isEqualTo("max-lifetime");
			assertThat(hold.endedAt()).isAfterOrEqualTo(hold.startedAt());
		});
		assertThat(third.status().recentRecycles()).singleElement().satisfies((hold) -> {
			assertThat(hold.slot()).isEqualTo(1);
			assertThat(hold.endedAt()).as("under way").isNull();
		});
	}

	@Test
	void theSlotOfAnInstanceThatNeverGivesItBackIsFreeAgainAfterItsLease() {
		Duration lease = Duration.ofSeconds(1);
		FleetBudget killed = budget(1, lease, LONG);
		FleetBudget waiting = budget(1, lease, LONG);
		assertThat(killed.admit("heap-after-gc")).isTrue();
		long start = System.nanoTime();
		assertThat(waiting.admit("heap-after-gc")).isFalse();
		// the killed instance never calls recycleEnded()
		await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
			.until(() -> waiting.admit("heap-after-gc"));
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(lease.minusMillis(100));
		assertThat(waiting.status().heldSlot()).isEqualTo(1);
	}

	@Test
	void aRecycleGoesOnWithoutASlotAfterMaxWait() {
		FleetBudget holder = budget(1, LONG, LONG);
		FleetBudget waiting = budget(1, LONG, Duration.ofSeconds(30));
		assertThat(holder.admit("max-lifetime")).isTrue();
		assertThat(waiting.admit("max-lifetime")).isFalse();
		this.clock.addAndGet(Duration.ofSeconds(29).toNanos());
		assertThat(waiting.admit("max-lifetime")).isFalse();
		assertThat(waiting.status().waitingSeconds()).isEqualTo(29.0);
		this.clock.addAndGet(Duration.ofSeconds(1).toNanos());
		assertThat(waiting.admit("max-lifetime")).isTrue();
		assertThat(waiting.status().unbudgeted()).isEqualTo(1);
		assertThat(waiting.status().heldSlot()).isNull();
		assertThat(waiting.status().waitedSeconds()).isEqualTo(30.0);
		// it holds nothing, so it gives nothing back
		waiting.recycleEnded();
		assertThat(leasesHeld()).isEqualTo(1);
		assertThat(waiting.status().recentRecycles()).singleElement().satisfies((hold) -> {
			assertThat(hold.slot()).as("without a slot").isNull();
			assertThat(hold.endedAt()).isNotNull();
		});
	}

	@Test
	void aDatabaseThatCannotBeReachedCountsAsNoFreeSlotUntilMaxWait() {
		DataSource down = new UnreachableDataSource();
		FleetBudget budget = new FleetBudget("orders", 1, LONG, Duration.ofSeconds(10),
				new FleetLeases(down, "recycling_fleet_leases", true), this.clock::get);
		assertThat(budget.admit("max-requests")).isFalse();
		assertThat(budget.status().lastError()).contains("database is down");
		this.clock.addAndGet(Duration.ofSeconds(10).toNanos());
		assertThat(budget.admit("max-requests")).isTrue();
		assertThat(budget.status().unbudgeted()).isEqualTo(1);
		assertThat(budget.status().lastError()).isNull();
	}

	@Test
	void fleetsSharingATableDoNotShareSlots() {
		FleetBudget orders = budget("orders", 1);
		FleetBudget payments = budget("payments", 1);
		assertThat(orders.admit("max-lifetime")).isTrue();
		assertThat(payments.admit("max-lifetime")).isTrue();
		assertThat(budget("orders", 1).admit("max-lifetime")).isFalse();
	}

	@Test
	void leasesGoThroughTheDataSourceOfWhicheverGenerationRuns() {
		FleetDataSource generations = new FleetDataSource();
		FleetBudget budget = new FleetBudget("orders", 1, LONG, LONG,
				new FleetLeases(generations, "recycling_fleet_leases", true), this.clock::get);
		JdbcDataSource first = sameDatabase();
		generations.use(first);
		assertThat(budget.admit("max-lifetime")).isTrue();
		// a sequential recycle: the first generation's pool is gone before the next one's exists
		generations.release(first);
		JdbcDataSource second = sameDatabase();
		generations.use(second);
		// a late release of an older generation does not take the newer one's away
		generations.release(first);
		budget.recycleEnded();
		assertThat(leasesHeld()).isZero();
		assertThat(budget("orders", 1).admit("max-lifetime")).isTrue();
	}

	@Test
	void withoutCreateTableAMissingTableIsAnErrorNamedInTheStatus() {
		FleetBudget budget = new FleetBudget("orders", 1, LONG, LONG,
				new FleetLeases(this.database, "missing_leases", false), this.clock::get);
		assertThat(budget.admit("max-lifetime")).isFalse();
		assertThat(budget.status().lastError()).containsIgnoringCase("missing_leases");
	}

	private FleetBudget budget(int slots, Duration lease, Duration maxWait) {
		return new FleetBudget("orders", slots, lease, maxWait,
				new FleetLeases(this.database, "recycling_fleet_leases", true), this.clock::get);
	}

	private FleetBudget budget(String fleet, int slots) {
		return new FleetBudget(fleet, slots, LONG, LONG,
				new FleetLeases(this.database, "recycling_fleet_leases", true), this.clock::get);
	}

	private JdbcDataSource sameDatabase() {
		JdbcDataSource dataSource = new JdbcDataSource();
		dataSource.setURL(this.database.getURL());
		return dataSource;
	}

	private int leasesHeld() {
		Integer held = new JdbcTemplate(this.database).queryForObject(
				"SELECT COUNT(*) FROM recycling_fleet_leases WHERE lock_until > CURRENT_TIMESTAMP", Integer.class);
		return (held != null) ? held : 0;
	}

	private static final class UnreachableDataSource extends org.springframework.jdbc.datasource.AbstractDataSource {

		@Override
		public java.sql.Connection getConnection() throws SQLException {
			throw new SQLException("database is down");
		}

		@Override
		public java.sql.Connection getConnection(String username, String password) throws SQLException {
			return getConnection();
		}

	}

}
