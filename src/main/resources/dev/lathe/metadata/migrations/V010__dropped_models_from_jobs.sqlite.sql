-- Seeds dropped_models (V008) with what a store upgraded from before V008 can still tell of the models dropped before it:
-- the batch jobs' records, which keep the model each job read and the version number it resolved to. A model dropped
-- before V008 left no counter, so its numbers were given again to the next model of its name; with this, a job's
-- d.m@3 is never another model's @3 after the upgrade. A model that exists again (made after such a drop) has its
-- counter raised past its name's numbers in the jobs likewise. Datasets are lower case in the registry; the model part
-- of a job's 'dataset.model[@version or alias]' is kept as written. Other records of a dropped model's versions (the
-- prediction logs in the warehouse, someone's notes) cannot be read here: docs/registry.md says so.
-- SQLite's spelling (instr/substr); the PostgreSQL file says the same with strpos/split_part.

CREATE TEMP VIEW v010_job_versions AS
SELECT lower(substr(model, 1, instr(model, '.') - 1)) AS dataset,
       CASE WHEN instr(model, '@') > 0 THEN substr(model, instr(model, '.') + 1, instr(model, '@') - instr(model, '.') - 1)
            ELSE substr(model, instr(model, '.') + 1) END AS name,
       MAX(model_version) + 1 AS next_version
FROM batch_jobs
WHERE model_version IS NOT NULL AND instr(model, '.') > 1
GROUP BY 1, 2;

UPDATE models SET next_version = (SELECT j.next_version FROM v010_job_versions j WHERE j.dataset = models.dataset AND j.name = models.name)
WHERE next_version < (SELECT j.next_version FROM v010_job_versions j WHERE j.dataset = models.dataset AND j.name = models.name);

UPDATE dropped_models SET next_version = (SELECT j.next_version FROM v010_job_versions j WHERE j.dataset = dropped_models.dataset AND j.name = dropped_models.name)
WHERE next_version < (SELECT j.next_version FROM v010_job_versions j WHERE j.dataset = dropped_models.dataset AND j.name = dropped_models.name);

INSERT INTO dropped_models (dataset, name, next_version, dropped_at)
SELECT j.dataset, j.name, j.next_version, strftime('%Y-%m-%dT%H:%M:%SZ', 'now')
FROM v010_job_versions j
WHERE NOT EXISTS (SELECT 1 FROM models m WHERE m.dataset = j.dataset AND m.name = j.name)
  AND NOT EXISTS (SELECT 1 FROM dropped_models d WHERE d.dataset = j.dataset AND d.name = j.name);

DROP VIEW v010_job_versions;
