-- Batch prediction jobs (Vertex AI BatchPredictionJob). spec holds the inputConfig/outputConfig/threshold JSON;
-- partial_failures the first bad rows as JSON. Timestamps are ISO-8601 UTC text, like the registry's.

CREATE TABLE batch_jobs (
    id BIGINT PRIMARY KEY,
    display_name VARCHAR(128) NOT NULL,
    model VARCHAR(1200) NOT NULL,
    model_version INTEGER,
    spec TEXT NOT NULL,
    state VARCHAR(32) NOT NULL,
    rows_processed BIGINT NOT NULL,
    rows_total BIGINT NOT NULL,
    successful_count BIGINT NOT NULL,
    failed_count BIGINT NOT NULL,
    incomplete_count BIGINT NOT NULL,
    partial_failures TEXT NOT NULL,
    error TEXT,
    output_location TEXT,
    created_at VARCHAR(40) NOT NULL,
    started_at VARCHAR(40),
    ended_at VARCHAR(40),
    updated_at VARCHAR(40) NOT NULL
);

CREATE INDEX batch_jobs_by_state ON batch_jobs (state);
