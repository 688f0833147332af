-- Model registry: one row per model, one per version, one per alias.
-- Portable SQL (SQLite and PostgreSQL); timestamps are ISO-8601 UTC text, which sorts in time order.
-- JSON columns (labels, metrics, source_tables, options) hold compact JSON text.

CREATE TABLE models (
    dataset VARCHAR(128) NOT NULL,
    name VARCHAR(1024) NOT NULL,
    next_version INTEGER NOT NULL,
    created_at VARCHAR(40) NOT NULL,
    updated_at VARCHAR(40) NOT NULL,
    PRIMARY KEY (dataset, name)
);

CREATE TABLE model_versions (
    dataset VARCHAR(128) NOT NULL,
    name VARCHAR(1024) NOT NULL,
    version INTEGER NOT NULL,
    model_type VARCHAR(64) NOT NULL,
    task VARCHAR(64) NOT NULL,
    description TEXT NOT NULL,
    labels TEXT NOT NULL,
    metrics TEXT NOT NULL,
    options TEXT NOT NULL,
    training_sql TEXT NOT NULL,
    statement_sql TEXT NOT NULL,
    input_rows BIGINT NOT NULL,
    input_hash VARCHAR(128) NOT NULL,
    source_tables TEXT NOT NULL,
    parent_version INTEGER,
    platform_version VARCHAR(64) NOT NULL,
    trained_at VARCHAR(40) NOT NULL,
    created_at VARCHAR(40) NOT NULL,
    updated_at VARCHAR(40) NOT NULL,
    PRIMARY KEY (dataset, name, version),
    FOREIGN KEY (dataset, name) REFERENCES models (dataset, name)
);

-- An alias names exactly one version of its model (the primary key); `default` is always present.
CREATE TABLE model_aliases (
    dataset VARCHAR(128) NOT NULL,
    name VARCHAR(1024) NOT NULL,
    alias VARCHAR(128) NOT NULL,
    version INTEGER NOT NULL,
    updated_at VARCHAR(40) NOT NULL,
    PRIMARY KEY (dataset, name, alias),
    FOREIGN KEY (dataset, name, version) REFERENCES model_versions (dataset, name, version)
);

CREATE INDEX model_aliases_by_version ON model_aliases (dataset, name, version);
