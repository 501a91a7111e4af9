-- Editions of the competition, their categories and scoring criteria, the entries institutions
-- submit and the attachments of those entries.

CREATE TABLE editions (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    slug TEXT NOT NULL,
    name TEXT NOT NULL,
    name_en TEXT NOT NULL,
    year INTEGER NOT NULL,
    rules TEXT NOT NULL,
    rules_en TEXT NOT NULL,
    opens_at TIMESTAMP NOT NULL,
    closes_at TIMESTAMP NOT NULL,
    judging_deadline TIMESTAMP NOT NULL,
    entries_per_category INTEGER NOT NULL,
    state TEXT NOT NULL,
    state_changed_at TIMESTAMP NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX editions_slug ON editions (slug);
CREATE INDEX editions_state ON editions (state, opens_at);

CREATE TABLE categories (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    edition_id INTEGER NOT NULL REFERENCES editions (id) ON DELETE CASCADE,
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    name_en TEXT NOT NULL,
    description TEXT NOT NULL,
    description_en TEXT NOT NULL,
    position INTEGER NOT NULL
);
CREATE UNIQUE INDEX categories_edition_code ON categories (edition_id, code);

CREATE TABLE criteria (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    edition_id INTEGER NOT NULL REFERENCES editions (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    name_en TEXT NOT NULL,
    description TEXT NOT NULL,
    description_en TEXT NOT NULL,
    max_points INTEGER NOT NULL,
    weight DOUBLE PRECISION NOT NULL,
    levels TEXT NOT NULL,
    levels_en TEXT NOT NULL,
    position INTEGER NOT NULL
);
CREATE INDEX criteria_edition ON criteria (edition_id, position);

CREATE TABLE entries (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    edition_id INTEGER NOT NULL REFERENCES editions (id),
    category_id INTEGER NOT NULL REFERENCES categories (id),
    institution_id INTEGER NOT NULL REFERENCES institutions (id),
    created_by INTEGER NOT NULL REFERENCES users (id),
    title TEXT NOT NULL,
    summary TEXT NOT NULL,
    description TEXT NOT NULL,
    started_on DATE,
    launched_on DATE,
    budget TEXT NOT NULL,
    funding TEXT NOT NULL,
    partners TEXT NOT NULL,
    links TEXT NOT NULL,
    contact_name TEXT NOT NULL,
    contact_email TEXT NOT NULL,
    contact_phone TEXT NOT NULL,
    accepted_rules BOOLEAN NOT NULL,
    accepted_privacy BOOLEAN NOT NULL,
    status TEXT NOT NULL,
    submitted_at TIMESTAMP,
    correction_until TIMESTAMP,
    decision_note TEXT NOT NULL,
    decided_by INTEGER REFERENCES users (id),
    decided_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX entries_institution ON entries (institution_id, edition_id);
CREATE INDEX entries_edition ON entries (edition_id, category_id, status);

CREATE TABLE attachments (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    entry_id INTEGER NOT NULL REFERENCES entries (id) ON DELETE CASCADE,
    original_name TEXT NOT NULL,
    stored_name TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size_bytes BIGINT NOT NULL,
    uploaded_by INTEGER NOT NULL REFERENCES users (id),
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX attachments_entry ON attachments (entry_id);
CREATE UNIQUE INDEX attachments_stored ON attachments (stored_name);
