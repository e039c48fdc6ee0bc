-- The clear-text credentials migration 8 sealed. secure_delete zeroes the freed cells, so the
-- old values do not linger in free pages of the file.
PRAGMA secure_delete = ON;
ALTER TABLE webhooks DROP COLUMN url;
ALTER TABLE webhooks DROP COLUMN secret;
PRAGMA secure_delete = OFF;
