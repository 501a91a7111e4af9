-- RODO (GDPR). The privacy notice's version: raised each time an organiser changes its text, so
-- users acknowledge the new one at their next page. Each acknowledgement is kept (user, version,
-- time); users.privacy_version is the latest, read with the session. Accounts that exist now
-- accepted the notice at registration or were set up before it could change: version 1.
ALTER TABLE site_texts ADD COLUMN privacy_version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE users ADD COLUMN privacy_version INTEGER NOT NULL DEFAULT 0;
UPDATE users SET privacy_version = 1;
CREATE TABLE privacy_consents (
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    version INTEGER NOT NULL,
    at TIMESTAMP NOT NULL,
    PRIMARY KEY (user_id, version)
);
INSERT INTO privacy_consents (user_id, version, at) SELECT id, 1, created_at FROM users;
-- When a person's or an institution's personal data were erased (by an organiser or by the
-- retention job); NULL while they are kept.
ALTER TABLE users ADD COLUMN anonymised_at TIMESTAMP;
ALTER TABLE institutions ADD COLUMN anonymised_at TIMESTAMP;
-- How many years after the results are published the edition's personal data are kept.
ALTER TABLE editions ADD COLUMN retention_years INTEGER NOT NULL DEFAULT 5;
