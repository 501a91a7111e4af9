-- Each entry's reference number, e.g. VI/II/007: the edition's code (the Roman numeral its name
-- starts with, else its year) / the category's code / a sequence per category. Given once, at
-- the entry's first submission (a draft has none); kept through corrections. The sequence is
-- unique per category and the number per edition; the service takes the next sequence while
-- holding the category's row, so parallel submissions never get the same one.
ALTER TABLE entries ADD COLUMN ref_seq INTEGER;
ALTER TABLE entries ADD COLUMN ref_no TEXT;

-- Entries submitted before this migration are numbered in the order they were submitted.
WITH numbered AS (
    SELECT id, ROW_NUMBER() OVER (PARTITION BY category_id ORDER BY submitted_at, id) AS seq
    FROM entries WHERE submitted_at IS NOT NULL
)
UPDATE entries SET ref_seq = numbered.seq FROM numbered WHERE entries.id = numbered.id;

UPDATE entries SET ref_no =
    (CASE WHEN split_part(ed.name, ' ', 1) ~ '^[IVXLCDM]+$' THEN split_part(ed.name, ' ', 1)
          ELSE ed.year::text END)
    || '/' || c.code || '/'
    || (CASE WHEN entries.ref_seq < 1000 THEN lpad(entries.ref_seq::text, 3, '0')
             ELSE entries.ref_seq::text END)
FROM editions ed, categories c
WHERE ed.id = entries.edition_id AND c.id = entries.category_id AND entries.ref_seq IS NOT NULL;

CREATE UNIQUE INDEX entries_category_ref_seq ON entries (category_id, ref_seq);
CREATE UNIQUE INDEX entries_edition_ref_no ON entries (edition_id, ref_no);

-- The order of honourable mentions within a category, as the organisers set it on the ranking
-- page (places are ordered by themselves); the results, exports and emails list mentions in it.
ALTER TABLE awards ADD COLUMN position INTEGER NOT NULL DEFAULT 0;
