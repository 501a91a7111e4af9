ALTER TABLE awards DROP COLUMN position;
DROP INDEX entries_edition_ref_no;
DROP INDEX entries_category_ref_seq;
ALTER TABLE entries DROP COLUMN ref_no;
ALTER TABLE entries DROP COLUMN ref_seq;
