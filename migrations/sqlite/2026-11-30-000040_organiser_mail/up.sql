-- Organisers' email settings and their daily digest of submitted entries. One row per
-- organiser who has saved the settings; without a row the defaults apply (no digest, notices
-- when a juror finishes their list).
-- digest_day: the Warsaw date (YYYY-MM-DD) of the last digest claimed; the claim is one
-- conditional UPDATE (digest_day < today), so with two instances exactly one sends it.
-- digest_since: entries submitted after this moment (UTC) go into the next digest.
CREATE TABLE organiser_mail (
    user_id INTEGER PRIMARY KEY NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    digest BOOLEAN NOT NULL DEFAULT FALSE,
    juror_done BOOLEAN NOT NULL DEFAULT TRUE,
    digest_day TEXT,
    digest_since TIMESTAMP NOT NULL
);
-- The digest reads the entries submitted in a period.
CREATE INDEX entries_submitted_at ON entries (submitted_at);
