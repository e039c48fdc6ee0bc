-- The clear-text credentials migration 8 sealed. (Their old row versions stay in the table's
-- files until VACUUM reclaims them.)
ALTER TABLE webhooks DROP COLUMN url;
ALTER TABLE webhooks DROP COLUMN secret;
