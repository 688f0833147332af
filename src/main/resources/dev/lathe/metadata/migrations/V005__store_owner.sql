-- The data directory whose registry this store holds: one row. A second data directory opened against the same store
-- would mix its model folders with the first's registry (versions numbered from the other's, folders registered into
-- it), so its open is refused. data_directory_id is the directory's own id (its file directory-id); data_directory the
-- absolute path it was first opened at, for the message.
CREATE TABLE store_owner (
    id INTEGER PRIMARY KEY,
    data_directory_id VARCHAR(64) NOT NULL,
    data_directory TEXT NOT NULL,
    bound_at VARCHAR(40) NOT NULL
);
