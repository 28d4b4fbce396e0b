-- Tables of recycling-starter's analytics flush, PostgreSQL. Safe to run again.

-- db-scheduler's task table, for the analytics batches only.
CREATE TABLE IF NOT EXISTS recycling_analytics_tasks (
    task_name TEXT NOT NULL,
    task_instance TEXT NOT NULL,
    task_data BYTEA,
    execution_time TIMESTAMP WITH TIME ZONE NOT NULL,
    picked BOOLEAN NOT NULL,
    picked_by TEXT,
    last_success TIMESTAMP WITH TIME ZONE,
    last_failure TIMESTAMP WITH TIME ZONE,
    consecutive_failures INT,
    last_heartbeat TIMESTAMP WITH TIME ZONE,
    version BIGINT NOT NULL,
    priority SMALLINT,
    PRIMARY KEY (task_name, task_instance)
);
CREATE INDEX IF NOT EXISTS recycling_analytics_tasks_execution_time_idx ON recycling_analytics_tasks (execution_time);
CREATE INDEX IF NOT EXISTS recycling_analytics_tasks_last_heartbeat_idx ON recycling_analytics_tasks (last_heartbeat);

CREATE TABLE IF NOT EXISTS recycling_api_usage (
    bucket_start TIMESTAMP WITH TIME ZONE NOT NULL,
    environment_key VARCHAR(128) NOT NULL,
    resource VARCHAR(64) NOT NULL,
    host VARCHAR(255) NOT NULL,
    labels_hash CHAR(64) NOT NULL,
    labels TEXT NOT NULL,
    request_count BIGINT NOT NULL,
    PRIMARY KEY (bucket_start, environment_key, resource, host, labels_hash)
);
CREATE INDEX IF NOT EXISTS recycling_api_usage_environment_idx ON recycling_api_usage (environment_key, bucket_start);

CREATE TABLE IF NOT EXISTS recycling_feature_evaluations (
    bucket_start TIMESTAMP WITH TIME ZONE NOT NULL,
    environment_key VARCHAR(128) NOT NULL,
    feature VARCHAR(255) NOT NULL,
    labels_hash CHAR(64) NOT NULL,
    labels TEXT NOT NULL,
    evaluation_count BIGINT NOT NULL,
    PRIMARY KEY (bucket_start, environment_key, feature, labels_hash)
);
CREATE INDEX IF NOT EXISTS recycling_feature_evaluations_environment_idx ON recycling_feature_evaluations (environment_key, bucket_start);

CREATE TABLE IF NOT EXISTS recycling_applied_batches (
    batch_id VARCHAR(36) NOT NULL PRIMARY KEY,
    applied_at TIMESTAMP WITH TIME ZONE NOT NULL,
    api_entries INT NOT NULL,
    evaluation_entries INT NOT NULL
);
-- the housekeeping deletes by age
CREATE INDEX IF NOT EXISTS recycling_applied_batches_applied_at_idx ON recycling_applied_batches (applied_at);
