package dev.recycling.analytics.store;

import java.sql.DatabaseMetaData;
import java.util.Locale;

import javax.sql.DataSource;

import org.springframework.jdbc.support.JdbcUtils;
import org.springframework.jdbc.support.MetaDataAccessException;

/**
 * The SQL that differs between the supported databases: the upserts.
 *
 * @author recycling team
 */
public enum SqlDialect {

	/**
	 * PostgreSQL 9.5 and later: {@code INSERT ... ON CONFLICT DO UPDATE}.
	 */
	POSTGRESQL("postgresql",
			"INSERT INTO " + AnalyticsTables.API_USAGE
					+ " (bucket_start, environment_key, resource, host, labels_hash, labels, request_count)"
					+ " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (bucket_start, environment_key, resource, host,"
					+ " labels_hash) DO UPDATE SET request_count = " + AnalyticsTables.API_USAGE
					+ ".request_count + EXCLUDED.request_count",
			"INSERT INTO " + AnalyticsTables.FEATURE_EVALUATIONS
					+ " (bucket_start, environment_key, feature, labels_hash, labels, evaluation_count)"
					+ " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (bucket_start, environment_key, feature, labels_hash)"
					+ " DO UPDATE SET evaluation_count = " + AnalyticsTables.FEATURE_EVALUATIONS
					+ ".evaluation_count + EXCLUDED.evaluation_count"),

	/**
	 * H2 2.x: standard {@code MERGE ... USING}.
	 */
	H2("h2",
			"MERGE INTO " + AnalyticsTables.API_USAGE + " t USING (VALUES (CAST(? AS TIMESTAMP WITH TIME ZONE),"
					+ " CAST(? AS VARCHAR), CAST(? AS VARCHAR), CAST(? AS VARCHAR), CAST(? AS VARCHAR),"
					+ " CAST(? AS VARCHAR), CAST(? AS BIGINT)))"
					+ " s(bucket_start, environment_key, resource, host, labels_hash, labels, request_count)"
					+ " ON t.bucket_start = s.bucket_start AND t.environment_key = s.environment_key"
					+ " AND t.resource = s.resource AND t.host = s.host AND t.labels_hash = s.labels_hash"
					+ " WHEN MATCHED THEN UPDATE SET request_count = t.request_count + s.request_count"
					+ " WHEN NOT MATCHED THEN INSERT (bucket_start, environment_key, resource, host, labels_hash,"
					+ " labels, request_count) VALUES (s.bucket_start, s.environment_key, s.resource, s.host,"
					+ " s.labels_hash, s.labels, s.request_count)",
			"MERGE INTO " + AnalyticsTables.FEATURE_EVALUATIONS
					+ " t USING (VALUES (CAST(? AS TIMESTAMP WITH TIME ZONE), CAST(? AS VARCHAR),"
					+ " CAST(? AS VARCHAR), CAST(? AS VARCHAR), CAST(? AS VARCHAR), CAST(? AS BIGINT)))"
					+ " s(bucket_start, environment_key, feature, labels_hash, labels, evaluation_count)"
					+ " ON t.bucket_start = s.bucket_start AND t.environment_key = s.environment_key"
					+ " AND t.feature = s.feature AND t.labels_hash = s.labels_hash"
					+ " WHEN MATCHED THEN UPDATE SET evaluation_count = t.evaluation_count + s.evaluation_count"
					+ " WHEN NOT MATCHED THEN INSERT (bucket_start, environment_key, feature, labels_hash, labels,"
					+ " evaluation_count) VALUES (s.bucket_start, s.environment_key, s.feature, s.labels_hash,"
					+ " s.labels, s.evaluation_count)");

	private final String platform;

	private final String upsertApiUsage;

	private final String upsertFeatureEvaluation;

	SqlDialect(String platform, String upsertApiUsage, String upsertFeatureEvaluation) {
		this.platform = platform;
		this.upsertApiUsage = upsertApiUsage;
		this.upsertFeatureEvaluation = upsertFeatureEvaluation;
	}

	/**
	 * Return the platform name, as in the schema script {@code schema-<platform>.sql}.
	 * @return the platform
	 */
	public String platform() {
		return this.platform;
	}

	String upsertApiUsage() {
		return this.upsertApiUsage;
	}

	String upsertFeatureEvaluation() {
		return this.upsertFeatureEvaluation;
	}

	/**
	 * Return the dialect of a database, asking it for its product name.
	 * @param dataSource the database
	 * @return the dialect
	 * @throws IllegalStateException if the database is not one of the supported ones
	 */
	public static SqlDialect of(DataSource dataSource) {
		String product;
		try {
			product = JdbcUtils.extractDatabaseMetaData(dataSource, DatabaseMetaData::getDatabaseProductName);
		}
		catch (MetaDataAccessException ex) {
			throw new IllegalStateException("Could not tell which database the analytics tables are in", ex);
		}
		return ofProductName(product);
	}

	static SqlDialect ofProductName(String product) {
		String name = product.toLowerCase(Locale.ROOT);
		if (name.contains("postgresql")) {
			return POSTGRESQL;
		}
		if (name.equals("h2")) {
			return H2;
		}
		throw new IllegalStateException("The analytics store supports PostgreSQL and H2, not " + product
				+ ". Declare your own AnalyticsBatchHandler bean to write elsewhere");
	}

}
