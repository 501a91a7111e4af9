-- The texts an organiser edits for the whole site: the accessibility statement (deklaracja
-- dostępności) and the privacy notice (RODO art. 13), in Polish and English (Markdown), plus the
-- statement's fields that carry the ids of the official template. One row (id 1); until it
-- exists the pages show the defaults built into the program.
CREATE TABLE site_texts (
    id INTEGER PRIMARY KEY NOT NULL,
    entity TEXT NOT NULL,
    published_on TEXT NOT NULL,
    updated_on TEXT NOT NULL,
    prepared_on TEXT NOT NULL,
    contact_name TEXT NOT NULL,
    contact_email TEXT NOT NULL,
    contact_phone TEXT NOT NULL,
    a11y_pl TEXT NOT NULL,
    a11y_en TEXT NOT NULL,
    privacy_pl TEXT NOT NULL,
    privacy_en TEXT NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    updated_by INTEGER REFERENCES users(id) ON DELETE SET NULL
);
