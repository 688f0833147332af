-- The next version number of each dropped model: version numbers are never reused (docs/registry.md), also after
-- DROP MODEL and a CREATE MODEL under the same name, so that d.m@1 in a prediction log, a batch job's record, a monitor
-- or someone's notes always names the one model it named. The row goes when the name is a model again, whose counter
-- starts where the dropped one's stopped.

CREATE TABLE dropped_models (
    dataset VARCHAR(128) NOT NULL,
    name VARCHAR(1024) NOT NULL,
    next_version INTEGER NOT NULL,
    dropped_at VARCHAR(40) NOT NULL,
    PRIMARY KEY (dataset, name)
);
