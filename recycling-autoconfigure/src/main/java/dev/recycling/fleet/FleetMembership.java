package dev.recycling.fleet;

import javax.sql.DataSource;

import dev.recycling.restart.Recycler;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.InitializingBean;

/**
 * One generation's part in the fleet's recycle budget: while it runs, its data source
 * reaches the fleet's leases and the budget admits the recycler's automatic recycles.
 *
 * @author recycling team
 */
public final class FleetMembership implements InitializingBean, DisposableBean {

	private final Recycler recycler;

	private final FleetBudget budget;

	private final FleetDataSource leasesDataSource;

	private final DataSource dataSource;

	/**
	 * Create the membership of a generation.
	 * @param recycler the recycler
	 * @param budget the budget, shared by the generations of this JVM
	 * @param leasesDataSource the data source of the leases, shared likewise
	 * @param dataSource this generation's data source
	 */
	public FleetMembership(Recycler recycler, FleetBudget budget, FleetDataSource leasesDataSource,
			DataSource dataSource) {
		this.recycler = recycler;
		this.budget = budget;
		this.leasesDataSource = leasesDataSource;
		this.dataSource = dataSource;
	}

	@Override
	public void afterPropertiesSet() {
		this.leasesDataSource.use(this.dataSource);
		this.recycler.admitRecyclesThrough(this.budget);
	}

	@Override
	public void destroy() {
		this.leasesDataSource.release(this.dataSource);
	}

}
