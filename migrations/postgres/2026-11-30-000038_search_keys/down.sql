ALTER TABLE entries DROP COLUMN title_key;
ALTER TABLE institutions DROP COLUMN name_key;
