-- The google.rpc.Code number of a failed batch prediction job's error (Vertex AI's error.code): NOT_FOUND 5 for a
-- missing model or input, ALREADY_EXISTS 6 for an output that exists, ABORTED 10 for a job interrupted or that lost to
-- another's change, INTERNAL 13, INVALID_ARGUMENT 3 for the rest. NULL for a job without an error, and for the failed
-- jobs recorded before this column, which are read as INVALID_ARGUMENT (what every job error was).

ALTER TABLE batch_jobs ADD COLUMN error_code INTEGER;
