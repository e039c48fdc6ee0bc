-- The verifiable history (issue 5). One log entry per case event, written in the event's own
-- transaction as a pending row (autoincrement id, idx NULL) so that concurrent writers never
-- contend for a log index; the sequencer assigns idx in id order. The salt stays here, never on
-- the log: with it a citizen can prove the text behind a salted hash in an entry.
CREATE TABLE ledger_entries (
    id BIGSERIAL PRIMARY KEY,
    idx BIGINT UNIQUE,
    case_id BIGINT NOT NULL,
    case_seq BIGINT NOT NULL,
    entry BYTEA NOT NULL,
    salt BYTEA NOT NULL,
    created_at BIGINT NOT NULL,
    UNIQUE (case_id, case_seq)
);
CREATE INDEX ledger_entries_pending ON ledger_entries(id) WHERE idx IS NULL;

-- The tree's stored hashes in the Go tlog layout: id is the stored-hash index (each leaf hash
-- followed by the subtrees it completes). Tiles are read from here.
CREATE TABLE ledger_hashes (
    id BIGINT PRIMARY KEY,
    hash BYTEA NOT NULL
);

-- Every signed checkpoint (C2SP signed note), kept so that any later one can be checked for
-- consistency; the size only grows.
CREATE TABLE ledger_checkpoints (
    size BIGINT PRIMARY KEY,
    root BYTEA NOT NULL,
    signed_note TEXT NOT NULL,
    created_at BIGINT NOT NULL
);

-- Events written before the ledger existed are logged once by the sequencer (backfill); any
-- later event without an entry was written around the ledger.
CREATE TABLE ledger_meta (
    name TEXT PRIMARY KEY,
    value BIGINT NOT NULL
);
INSERT INTO ledger_meta (name, value) SELECT 'backfill_through_event', COALESCE(MAX(id), 0) FROM case_events;
