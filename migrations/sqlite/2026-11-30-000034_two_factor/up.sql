-- Two-factor sign-in (TOTP, RFC 6238). One row per account that has set it up; the secret is
-- sealed with a key derived from the server key (domain::two_factor::seal) and
-- never shown again after the set-up. `last_step` is the last 30-second step whose code was
-- accepted: a code is taken only by an UPDATE that raises it, so the same code (or an older
-- one) is refused even to parallel requests.
CREATE TABLE two_factor (
    user_id INTEGER PRIMARY KEY NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    secret TEXT NOT NULL,
    last_step BIGINT NOT NULL,
    enabled_at TIMESTAMP NOT NULL
);
-- Single-use recovery codes, stored as SHA-256; `used_at` is set by a conditional UPDATE.
CREATE TABLE two_factor_recovery (
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    code_hash TEXT NOT NULL,
    used_at TIMESTAMP,
    PRIMARY KEY (user_id, code_hash)
);
-- Browsers where the second step is skipped until `expires_at` (at most 30 days): the SHA-256
-- of the random token in the signed cookie. Deleted when the second factor is reset or
-- disabled or the password changes.
CREATE TABLE remembered_devices (
    token_hash TEXT PRIMARY KEY NOT NULL,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    expires_at TIMESTAMP NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX remembered_devices_user ON remembered_devices (user_id);
-- The site-wide rule (one row, id 1): organisers and jurors must use
-- the second factor.
CREATE TABLE two_factor_policy (
    id INTEGER PRIMARY KEY NOT NULL,
    required_for_staff BOOLEAN NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    updated_by INTEGER REFERENCES users(id) ON DELETE SET NULL
);
INSERT INTO two_factor_policy (id, required_for_staff, updated_at) VALUES (1, FALSE, CURRENT_TIMESTAMP);
