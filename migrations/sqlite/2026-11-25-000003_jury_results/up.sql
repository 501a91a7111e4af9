-- Jury and results: how an edition is judged, who judges what, declarations and conflicts,
-- scores, awards, and the announcement.

ALTER TABLE editions ADD COLUMN blind_judging BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE editions ADD COLUMN aggregation TEXT NOT NULL DEFAULT 'mean';
ALTER TABLE editions ADD COLUMN tie_break_criterion_id INTEGER;
ALTER TABLE editions ADD COLUMN show_scores BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE editions ADD COLUMN protocol_finalised_at TIMESTAMP;
ALTER TABLE editions ADD COLUMN results_published_at TIMESTAMP;

-- A juror judges every accepted entry of these categories.
CREATE TABLE juror_categories (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    edition_id INTEGER NOT NULL REFERENCES editions (id) ON DELETE CASCADE,
    juror_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    category_id INTEGER NOT NULL REFERENCES categories (id) ON DELETE CASCADE
);
CREATE UNIQUE INDEX juror_categories_unique ON juror_categories (juror_id, category_id);
CREATE INDEX juror_categories_edition ON juror_categories (edition_id, category_id);

-- The entries each juror judges (from their categories, plus or minus single entries).
CREATE TABLE assignments (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    edition_id INTEGER NOT NULL REFERENCES editions (id) ON DELETE CASCADE,
    entry_id INTEGER NOT NULL REFERENCES entries (id) ON DELETE CASCADE,
    juror_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX assignments_unique ON assignments (entry_id, juror_id);
CREATE INDEX assignments_juror ON assignments (juror_id, edition_id);
CREATE INDEX assignments_edition ON assignments (edition_id);

-- The declaration of impartiality and confidentiality, once per juror and edition.
CREATE TABLE declarations (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    edition_id INTEGER NOT NULL REFERENCES editions (id) ON DELETE CASCADE,
    juror_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    accepted_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX declarations_unique ON declarations (edition_id, juror_id);

-- Conflicts of interest of a juror with an institution, declared by the juror or an organiser.
CREATE TABLE conflicts (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    edition_id INTEGER NOT NULL REFERENCES editions (id) ON DELETE CASCADE,
    juror_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    institution_id INTEGER NOT NULL REFERENCES institutions (id) ON DELETE CASCADE,
    reason TEXT NOT NULL,
    declared_by INTEGER NOT NULL REFERENCES users (id),
    created_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX conflicts_unique ON conflicts (edition_id, juror_id, institution_id);
CREATE INDEX conflicts_institution ON conflicts (edition_id, institution_id);

-- One juror's judgement of one entry: a comment, the status, and the weighted total kept when
-- it is submitted (criteria and weights are frozen by then), so ranking reads one row per judgement.
CREATE TABLE reviews (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    edition_id INTEGER NOT NULL REFERENCES editions (id) ON DELETE CASCADE,
    entry_id INTEGER NOT NULL REFERENCES entries (id) ON DELETE CASCADE,
    juror_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    comment TEXT NOT NULL,
    status TEXT NOT NULL,
    total DOUBLE PRECISION,
    submitted_at TIMESTAMP,
    updated_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX reviews_unique ON reviews (entry_id, juror_id);
CREATE INDEX reviews_edition ON reviews (edition_id, status);
CREATE INDEX reviews_juror ON reviews (juror_id, edition_id);

CREATE TABLE scores (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    review_id INTEGER NOT NULL REFERENCES reviews (id) ON DELETE CASCADE,
    criterion_id INTEGER NOT NULL REFERENCES criteria (id) ON DELETE CASCADE,
    points INTEGER NOT NULL
);
CREATE UNIQUE INDEX scores_unique ON scores (review_id, criterion_id);
CREATE INDEX scores_criterion ON scores (criterion_id);

-- The organisers' decision: a place (1, 2, 3) or an honourable mention ("mention").
CREATE TABLE awards (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    edition_id INTEGER NOT NULL REFERENCES editions (id) ON DELETE CASCADE,
    category_id INTEGER NOT NULL REFERENCES categories (id) ON DELETE CASCADE,
    entry_id INTEGER NOT NULL REFERENCES entries (id) ON DELETE CASCADE,
    award TEXT NOT NULL,
    ex_aequo BOOLEAN NOT NULL,
    decided_by INTEGER NOT NULL REFERENCES users (id),
    decided_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX awards_entry ON awards (entry_id);
CREATE INDEX awards_edition ON awards (edition_id, category_id);
