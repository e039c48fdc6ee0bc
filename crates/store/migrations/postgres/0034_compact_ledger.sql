-- Issue 17, decision 047: the log keeps its entries packed and only the tree hashes at the tile
-- levels. The hashes kept are copied into this table by the migration's step in Rust, which
-- then drops the old table and gives this one its name; the same step packs every entry.
CREATE TABLE ledger_hashes_kept (
    id BIGINT PRIMARY KEY,
    hash BYTEA NOT NULL
);
