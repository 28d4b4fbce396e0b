package dev.recycling.analytics.store;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

import javax.sql.DataSource;

import dev.recycling.analytics.cache.ApiUsageKey;
import dev.recycling.analytics.cache.FeatureEvaluationKey;
import dev.recycling.analytics.cache.Labels;
import dev.recycling.analytics.cache.UsageCount;
import dev.recycling.analytics.task.AnalyticsBatch;
import dev.recycling.analytics.task.AnalyticsBatchHandler;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The default batch handler: adds a batch's counts to the aggregate tables, per minute
 * bucket, and records the batch id in the same transaction. A batch whose id is already
 * recorded is skipped, so a re-run after a crash between applying and completing the task
 * never counts twice.
 *
 * @author recycling team
 */
public final class JdbcAnalyticsStore implements AnalyticsBatchHandler {

	private static final Logger logger = LoggerFactory.getLogger(JdbcAnalyticsStore.class);

	private static final int JDBC_BATCH_SIZE = 1000;

	private final JdbcTemplate jdbc;

	private final TransactionTemplate transactions;

	private final DataSource dataSource;

	private volatile @Nullable SqlDialect dialect;

	/**
	 * Create a store. It asks the database for its dialect on first use, so that an
	 * application starts while its database is down.
	 * @param dataSource the database holding the tables of the schema scripts
	 */
	public JdbcAnalyticsStore(DataSource dataSource) {
		this.dataSource = dataSource;
		this.jdbc = new JdbcTemplate(dataSource);
		this.transactions = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
	}

	private SqlDialect dialect() {
		SqlDialect dialect = this.dialect;
		if (dialect == null) {
			dialect = SqlDialect.of(this.dataSource);
			this.dialect = dialect;
		}
		return dialect;
	}

	@Override
	public void handle(AnalyticsBatch batch) {
		if (!apply(batch)) {
			logger.info("Analytics batch {} was applied before; skipping it", batch.id());
		}
	}

	/**
	 * Apply a batch unless it was applied before.
	 * @param batch the batch
	 * @return {@code true} if applied now, {@code false} if it had been applied already
	 */
	public boolean apply(AnalyticsBatch batch) {
		SqlDialect dialect = dialect();
		try {
			this.transactions.executeWithoutResult((status) -> {
				this.jdbc.update("INSERT INTO " + AnalyticsTables.APPLIED_BATCHES
						+ " (batch_id, applied_at, api_entries, evaluation_entries) VALUES (?, ?, ?, ?)",
						batch.id().toString(), Timestamp.from(Instant.now()), batch.apiUsage().size(),
						batch.featureEvaluations().size());
				Map<Labels, String> hashes = new HashMap<>();
				this.jdbc.batchUpdate(dialect.upsertApiUsage(), batch.apiUsage(), JDBC_BATCH_SIZE,
						(statement, count) -> {
							ApiUsageKey key = count.key();
							statement.setObject(1, bucket(count));
							statement.setString(2, key.environmentKey());
							statement.setString(3, key.resource());
							statement.setString(4, key.host());
							statement.setString(5, hashes.computeIfAbsent(key.labels(), JdbcAnalyticsStore::hash));
							statement.setString(6, key.labels().toJson());
							statement.setLong(7, count.count());
						});
				this.jdbc.batchUpdate(dialect.upsertFeatureEvaluation(), batch.featureEvaluations(),
						JDBC_BATCH_SIZE, (statement, count) -> {
							FeatureEvaluationKey key = count.key();
							statement.setObject(1, bucket(count));
							statement.setString(2, key.environmentKey());
							statement.setString(3, key.feature());
							statement.setString(4, hashes.computeIfAbsent(key.labels(), JdbcAnalyticsStore::hash));
							statement.setString(5, key.labels().toJson());
							statement.setLong(6, count.count());
						});
			});
			return true;
		}
		catch (DuplicateKeyException ex) {
			return false;
		}
	}

	/**
	 * Delete the ids of the batches applied before a moment: a batch sent again after that
	 * would be applied again.
	 * @param before the moment
	 * @return how many ids were deleted
	 */
	public int forgetAppliedBefore(Instant before) {
		return this.jdbc.update("DELETE FROM " + AnalyticsTables.APPLIED_BATCHES + " WHERE applied_at < ?",
				Timestamp.from(before));
	}

	/**
	 * Return whether a batch has been applied.
	 * @param batch the batch
	 * @return {@code true} if its id is recorded
	 */
	public boolean isApplied(AnalyticsBatch batch) {
		Long count = this.jdbc.queryForObject("SELECT COUNT(*) FROM " + AnalyticsTables.APPLIED_BATCHES
				+ " WHERE batch_id = ?", Long.class, batch.id().toString());
		return count != null && count > 0;
	}

	/**
	 * Return the persisted totals of an environment.
	 * @param environmentKey the environment key
	 * @return API requests by resource and feature evaluations by feature
	 */
	public UsageTotals totals(String environmentKey) {
		return totals(environmentKey, this.jdbc);
	}

	/**
	 * Return the persisted totals of an environment, each query cancelled after a timeout.
	 * @param environmentKey the environment key
	 * @param queryTimeout the longest a query may run (whole seconds, at least one)
	 * @return API requests by resource and feature evaluations by feature
	 */
	public UsageTotals totals(String environmentKey, Duration queryTimeout) {
		JdbcTemplate jdbc = new JdbcTemplate(this.jdbc.getDataSource());
		jdbc.setQueryTimeout((int) Math.max(1, (queryTimeout.toMillis() + 999) / 1000));
		return totals(environmentKey, jdbc);
	}

	private static UsageTotals totals(String environmentKey, JdbcTemplate jdbc) {
		Map<String, Long> requests = new LinkedHashMap<>();
		jdbc.query("SELECT resource, SUM(request_count) FROM " + AnalyticsTables.API_USAGE
				+ " WHERE environment_key = ? GROUP BY resource ORDER BY resource",
				(row) -> {
					requests.put(row.getString(1), row.getLong(2));
				}, environmentKey);
		Map<String, Long> evaluations = new LinkedHashMap<>();
		jdbc.query("SELECT feature, SUM(evaluation_count) FROM " + AnalyticsTables.FEATURE_EVALUATIONS
				+ " WHERE environment_key = ? GROUP BY feature ORDER BY feature",
				(row) -> {
					evaluations.put(row.getString(1), row.getLong(2));
				}, environmentKey);
		return new UsageTotals(requests, evaluations);
	}

	private static OffsetDateTime bucket(UsageCount<?> count) {
		return OffsetDateTime.ofInstant(count.bucketStart(), ZoneOffset.UTC);
	}

	private static String hash(Labels labels) {
		try {
			MessageDigest digest = MessageDigest.getInstance("SHA-256");
			return HexFormat.of().formatHex(digest.digest(labels.toJson().getBytes(StandardCharsets.UTF_8)));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("Every Java platform has SHA-256", ex);
		}
	}

}
