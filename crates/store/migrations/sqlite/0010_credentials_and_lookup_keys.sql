-- Bearer tokens and Open311 keys expire and can be revoked by id (decision 012). Those issued
-- before this migration expire 90 (tokens) and 365 (keys) days after it.
CREATE TABLE api_tokens_v2 (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    token_hash BLOB NOT NULL UNIQUE,
    account_id INTEGER NOT NULL REFERENCES accounts(id),
    name TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
);
INSERT INTO api_tokens_v2 (token_hash, account_id, name, created_at, expires_at)
SELECT token_hash, account_id, name, created_at,
       CAST(strftime('%s', 'now') AS INTEGER) * 1000 + 7776000000
FROM api_tokens ORDER BY created_at;
DROP TABLE api_tokens;
ALTER TABLE api_tokens_v2 RENAME TO api_tokens;
CREATE INDEX api_tokens_account ON api_tokens(account_id);

CREATE TABLE api_keys_v2 (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    key_hash BLOB NOT NULL UNIQUE,
    name TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
);
INSERT INTO api_keys_v2 (key_hash, name, created_at, expires_at)
SELECT key_hash, name, created_at,
       CAST(strftime('%s', 'now') AS INTEGER) * 1000 + 31536000000
FROM api_keys ORDER BY created_at;
DROP TABLE api_keys;
ALTER TABLE api_keys_v2 RENAME TO api_keys;

-- Lookup codes stored before this migration (unkeyed SHA-256 digests) are rewritten as keyed
-- digests by its step in Rust (`lookup_keys.rs`), which holds the master key.
