package dev.recycling.metrics;

import dev.recycling.fleet.FleetBudget;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * Binds the metrics of the fleet's recycle budget, tagged with the fleet's name.
 *
 * @author recycling team
 */
public final class FleetMetrics implements MeterBinder {

	private final FleetBudget budget;

	/**
	 * Create the binder.
	 * @param budget the budget of this instance
	 */
	public FleetMetrics(FleetBudget budget) {
		this.budget = budget;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		FleetBudget budget = this.budget;
		String fleet = budget.status().fleet();
		Gauge.builder("recycling.fleet.waiting", budget, (b) -> b.status().waiting() ? 1 : 0)
			.description("1 while a recycle of this instance waits for a free recycle slot of its fleet")
			.tag("fleet", fleet)
			.register(registry);
		Gauge.builder("recycling.fleet.waiting.duration", budget, (b) -> b.status().waitingSeconds())
			.description("How long the recycle that waits for a slot has waited so far; 0 if none waits")
			.tag("fleet", fleet)
			.baseUnit("seconds")
			.register(registry);
		Gauge.builder("recycling.fleet.slot.held", budget, (b) -> (b.status().heldSlot() != null) ? 1 : 0)
			.description("1 while this instance recycles holding one of its fleet's recycle slots")
			.tag("fleet", fleet)
			.register(registry);
		FunctionCounter.builder("recycling.fleet.waits", budget, (b) -> b.status().waits())
			.description("Recycles that had to wait for a free slot")
			.tag("fleet", fleet)
			.register(registry);
		FunctionCounter.builder("recycling.fleet.waited", budget, (b) -> b.status().waitedSeconds())
			.description("Time the finished waits for a slot took")
			.tag("fleet", fleet)
			.baseUnit("seconds")
			.register(registry);
		FunctionCounter.builder("recycling.fleet.unbudgeted", budget, (b) -> b.status().unbudgeted())
			.description("Recycles that went on without a slot after recycling.fleet.max-wait")
			.tag("fleet", fleet)
			.register(registry);
	}

}
