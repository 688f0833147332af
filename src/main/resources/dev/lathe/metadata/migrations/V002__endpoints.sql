-- Endpoints and the model versions deployed to them (Vertex AI's Endpoint and DeployedModel).
-- Portable SQL (SQLite and PostgreSQL); timestamps are ISO-8601 UTC text; labels and traffic_split hold compact JSON.

CREATE TABLE endpoints (
    id VARCHAR(128) NOT NULL PRIMARY KEY,
    display_name VARCHAR(128) NOT NULL,
    description TEXT NOT NULL,
    labels TEXT NOT NULL,
    traffic_split TEXT NOT NULL,
    logging_sampling_rate DOUBLE PRECISION NOT NULL,
    created_at VARCHAR(40) NOT NULL,
    updated_at VARCHAR(40) NOT NULL,
    etag VARCHAR(64) NOT NULL
);

-- A deployed model id is unique across endpoints (Vertex: 1 to 10 digits, server-generated). The foreign key to
-- model_versions is a last guard: the registry refuses to delete a deployed version before it gets that far.
CREATE TABLE deployed_models (
    endpoint_id VARCHAR(128) NOT NULL,
    deployed_model_id VARCHAR(10) NOT NULL PRIMARY KEY,
    dataset VARCHAR(128) NOT NULL,
    model VARCHAR(1024) NOT NULL,
    version INTEGER NOT NULL,
    display_name VARCHAR(128) NOT NULL,
    created_at VARCHAR(40) NOT NULL,
    FOREIGN KEY (endpoint_id) REFERENCES endpoints (id),
    FOREIGN KEY (dataset, model, version) REFERENCES model_versions (dataset, name, version)
);

CREATE INDEX deployed_models_by_endpoint ON deployed_models (endpoint_id);
CREATE INDEX deployed_models_by_version ON deployed_models (dataset, model, version);
