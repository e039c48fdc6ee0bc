-- Bearer tokens and Open311 keys expire and can be revoked by id (decision 012). Those issued
-- before this migration expire 90 (tokens) and 365 (keys) days after it.
ALTER TABLE api_tokens ADD COLUMN id BIGSERIAL UNIQUE;
ALTER TABLE api_tokens ADD COLUMN expires_at BIGINT NOT NULL
    DEFAULT (CAST(EXTRACT(EPOCH FROM now()) AS BIGINT) * 1000 + 7776000000);
ALTER TABLE api_tokens ALTER COLUMN expires_at DROP DEFAULT;
CREATE INDEX api_tokens_account ON api_tokens(account_id);

ALTER TABLE api_keys ADD COLUMN id BIGSERIAL UNIQUE;
ALTER TABLE api_keys ADD COLUMN expires_at BIGINT NOT NULL
    DEFAULT (CAST(EXTRACT(EPOCH FROM now()) AS BIGINT) * 1000 + 31536000000);
ALTER TABLE api_keys ALTER COLUMN expires_at DROP DEFAULT;

-- Lookup codes stored before this migration (unkeyed SHA-256 digests) are rewritten as keyed
-- digests by its step in Rust (`lookup_keys.rs`), which holds the master key.
