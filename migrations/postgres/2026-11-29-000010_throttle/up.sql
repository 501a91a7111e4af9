-- One table of counters for every limit (login attempts, emails), reserved atomically with an
-- upsert; replaces the login-only table whose count-then-insert raced.
DROP TABLE login_throttle;

CREATE TABLE throttle (
    key TEXT PRIMARY KEY NOT NULL,
    hits INTEGER NOT NULL,
    window_end TIMESTAMP NOT NULL,
    free_at TIMESTAMP NOT NULL
);

-- Addresses from which an account has logged in: the per-account login limit does not apply
-- to them, so a distributed attack cannot lock the owner out.
CREATE TABLE login_addresses (
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    address TEXT NOT NULL,
    last_login_at TIMESTAMP NOT NULL,
    PRIMARY KEY (user_id, address)
);
