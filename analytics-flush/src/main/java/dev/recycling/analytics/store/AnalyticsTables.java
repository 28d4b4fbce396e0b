package dev.recycling.analytics.store;

/**
 * Names of the tables this module uses, as created by its schema scripts.
 *
 * @author recycling team
 */
public final class AnalyticsTables {

	/**
	 * The db-scheduler task table of the analytics batches, apart from any task table the
	 * application has itself.
	 */
	public static final String TASKS = "recycling_analytics_tasks";

	/**
	 * API-usage counts per minute, environment, resource, host and labels.
	 */
	public static final String API_USAGE = "recycling_api_usage";

	/**
	 * Feature-evaluation counts per minute, environment, feature and labels.
	 */
	public static final String FEATURE_EVALUATIONS = "recycling_feature_evaluations";

	/**
	 * The ids of the batches applied, written in the same transaction as their counts.
	 */
	public static final String APPLIED_BATCHES = "recycling_applied_batches";

	private AnalyticsTables() {
	}

}
