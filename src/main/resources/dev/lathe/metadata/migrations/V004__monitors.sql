-- Endpoint monitors (Vertex AI ModelDeploymentMonitoringJob) and the alerts their runs raise. spec holds the
-- objective configs, schedule, sampling and webhook as the JSON the REST API takes; timestamps are ISO-8601 UTC
-- text. A monitor's runs and per-feature results live in the warehouse (lathe_monitoring), next to the prediction log.

CREATE TABLE monitors (
    id VARCHAR(128) NOT NULL PRIMARY KEY,
    display_name VARCHAR(128) NOT NULL,
    endpoint_id VARCHAR(128) NOT NULL,
    spec TEXT NOT NULL,
    state VARCHAR(16) NOT NULL,
    next_window_end VARCHAR(40) NOT NULL,
    created_at VARCHAR(40) NOT NULL,
    updated_at VARCHAR(40) NOT NULL
);

CREATE INDEX monitors_by_endpoint ON monitors (endpoint_id);

-- One alert per monitor and window, whatever re-runs the window: the unique key is what prevents a storm.
-- anomalies holds the anomalous findings as JSON; delivery_* record the webhook POST (NOT_CONFIGURED when the
-- monitor has no webhook).
CREATE TABLE monitor_alerts (
    id BIGINT NOT NULL PRIMARY KEY,
    monitor_id VARCHAR(128) NOT NULL,
    window_start VARCHAR(40) NOT NULL,
    window_end VARCHAR(40) NOT NULL,
    run_id BIGINT NOT NULL,
    anomalies TEXT NOT NULL,
    webhook_url TEXT,
    delivery_state VARCHAR(16) NOT NULL,
    delivery_attempts INTEGER NOT NULL,
    last_error TEXT,
    delivered_at VARCHAR(40),
    created_at VARCHAR(40) NOT NULL,
    updated_at VARCHAR(40) NOT NULL,
    UNIQUE (monitor_id, window_start, window_end),
    FOREIGN KEY (monitor_id) REFERENCES monitors (id)
);

CREATE INDEX monitor_alerts_by_delivery ON monitor_alerts (delivery_state);
