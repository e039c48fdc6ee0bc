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

-- Lookup codes were stored as unkeyed SHA-256 digests. Rewriting them as keyed digests needs
-- the master key, which SQL does not have: the store does it on its first start after this
-- migration, in one transaction that also deletes this row.
CREATE TABLE pending_rekeys (name TEXT PRIMARY KEY);
INSERT INTO pending_rekeys (name) VALUES ('cases.lookup_hash');
