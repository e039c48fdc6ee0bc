-- Webhook credentials encrypted at rest (issue 11, finding 15). The signing secret and the URL
-- (a robot URL carries its access token) are sealed with the personal-data cipher; only the
-- URL with its credentials redacted stays readable. The Rust step of this migration
-- (seal_webhooks.rs) fills the new columns from the old ones; migration 9 drops those.
ALTER TABLE webhooks ADD COLUMN url_shown TEXT NOT NULL DEFAULT '';
ALTER TABLE webhooks ADD COLUMN url_sealed BYTEA;
ALTER TABLE webhooks ADD COLUMN secret_sealed BYTEA;
