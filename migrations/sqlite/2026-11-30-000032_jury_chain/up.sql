-- The tamper-evident record of the jury's work: every score submitted or reopened, every
-- conflict declared or removed, every category's awards and the protocol's finalisation, one
-- record after another per edition. Each record holds the hash of the one before it and its own
-- hash = SHA-256(prev_hash || payload) in hex; `konkurs audit verify` recomputes them and
-- compares the live rows with what the latest records say. (edition_id, seq) is unique, so two
-- appends can never both take the same place in the chain.
CREATE TABLE jury_chain (
    id INTEGER PRIMARY KEY NOT NULL,
    edition_id INTEGER NOT NULL REFERENCES editions (id),
    seq INTEGER NOT NULL,
    at TIMESTAMP NOT NULL,
    kind TEXT NOT NULL,
    payload TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
CREATE UNIQUE INDEX jury_chain_edition_seq ON jury_chain (edition_id, seq);
