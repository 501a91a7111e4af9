-- Search of the organisers' entry list: the entry's title and the institution's name folded to
-- lower case without diacritics ("Łódź" → "lodz"), kept by the program on every write, because
-- SQLite's lower() and LIKE know only ASCII. NULL until computed: the program fills the rows that
-- exist now right after this migration (Db::migrate).
ALTER TABLE entries ADD COLUMN title_key TEXT;
ALTER TABLE institutions ADD COLUMN name_key TEXT;
