package dev.recycling.actuate;

import dev.recycling.restart.Recycler;
import dev.recycling.restart.RecyclerState;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * The {@code recycling} health contributor: {@code UP} while the generation serves,
 * {@code OUT_OF_SERVICE} while it drains or restarts.
 *
 * @author recycling team
 */
public class RecyclingHealthIndicator implements HealthIndicator {

	private final Recycler recycler;

	/**
	 * Create the indicator.
	 * @param recycler the recycler
	 */
	public RecyclingHealthIndicator(Recycler recycler) {
		this.recycler = recycler;
	}

	@Override
	public Health health() {
		RecyclerState state = this.recycler.getState();
		// while the next generation starts next to it, this one serves fully: the instance stays in rotation
		Health.Builder builder = (state == RecyclerState.SERVING || state == RecyclerState.STARTING_NEXT) ? Health.up()
				: Health.outOfService();
		return builder.withDetail("generation", this.recycler.getGeneration())
			.withDetail("state", state.name())
			.build();
	}

}
