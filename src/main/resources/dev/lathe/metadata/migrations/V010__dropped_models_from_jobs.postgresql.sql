-- Seeds dropped_models (V008) from the batch jobs' records, as V010__dropped_models_from_jobs.sqlite.sql explains; this is
-- PostgreSQL's spelling of it (strpos/split_part).

CREATE TEMP VIEW v010_job_versions AS
SELECT lower(split_part(model, '.', 1)) AS dataset,
       split_part(substr(model, strpos(model, '.') + 1), '@', 1) AS name,
       MAX(model_version) + 1 AS next_version
FROM batch_jobs
WHERE model_version IS NOT NULL AND strpos(model, '.') > 1
GROUP BY 1, 2;

UPDATE models SET next_version = j.next_version FROM v010_job_versions j
WHERE j.dataset = models.dataset AND j.name = models.name AND models.next_version < j.next_version;

UPDATE dropped_models SET next_version = j.next_version FROM v010_job_versions j
WHERE j.dataset = dropped_models.dataset AND j.name = dropped_models.name AND dropped_models.next_version < j.next_version;

INSERT INTO dropped_models (dataset, name, next_version, dropped_at)
SELECT j.dataset, j.name, j.next_version, to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')
FROM v010_job_versions j
WHERE NOT EXISTS (SELECT 1 FROM models m WHERE m.dataset = j.dataset AND m.name = j.name)
  AND NOT EXISTS (SELECT 1 FROM dropped_models d WHERE d.dataset = j.dataset AND d.name = j.name);

DROP VIEW v010_job_versions;
