-- Each entry's reference number, e.g. VI/II/007: the edition's code (the Roman numeral its name
-- starts with, else its year) / the category's code / a sequence per category. Given once, at
-- the entry's first submission (a draft has none); kept through corrections. The sequence is
-- unique per category and the number per edition; on SQLite a writing transaction holds the
-- whole database, so parallel submissions never get the same one.
ALTER TABLE entries ADD COLUMN ref_seq INTEGER;
ALTER TABLE entries ADD COLUMN ref_no TEXT;

-- Entries submitted before this migration are numbered in the order they were submitted.
UPDATE entries SET ref_seq = (
    SELECT COUNT(*) FROM entries e2
    WHERE e2.category_id = entries.category_id AND e2.submitted_at IS NOT NULL
      AND (e2.submitted_at < entries.submitted_at
           OR (e2.submitted_at = entries.submitted_at AND e2.id <= entries.id))
) WHERE submitted_at IS NOT NULL;

UPDATE entries SET ref_no =
    (SELECT CASE WHEN substr(ed.name || ' ', 1, instr(ed.name || ' ', ' ') - 1) <> ''
                  AND substr(ed.name || ' ', 1, instr(ed.name || ' ', ' ') - 1) NOT GLOB '*[^IVXLCDM]*'
                 THEN substr(ed.name || ' ', 1, instr(ed.name || ' ', ' ') - 1)
                 ELSE CAST(ed.year AS TEXT) END
     FROM editions ed WHERE ed.id = entries.edition_id)
    || '/' || (SELECT c.code FROM categories c WHERE c.id = entries.category_id) || '/'
    || (CASE WHEN ref_seq < 10 THEN '00' WHEN ref_seq < 100 THEN '0' ELSE '' END) || ref_seq
WHERE ref_seq IS NOT NULL;

CREATE UNIQUE INDEX entries_category_ref_seq ON entries (category_id, ref_seq);
CREATE UNIQUE INDEX entries_edition_ref_no ON entries (edition_id, ref_no);

-- The order of honourable mentions within a category, as the organisers set it on the ranking
-- page (places are ordered by themselves); the results, exports and emails list mentions in it.
ALTER TABLE awards ADD COLUMN position INTEGER NOT NULL DEFAULT 0;
