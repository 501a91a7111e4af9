ALTER TABLE editions DROP COLUMN retention_years;
ALTER TABLE institutions DROP COLUMN anonymised_at;
ALTER TABLE users DROP COLUMN anonymised_at;
DROP TABLE privacy_consents;
ALTER TABLE users DROP COLUMN privacy_version;
ALTER TABLE site_texts DROP COLUMN privacy_version;
