ALTER TABLE editions DROP CONSTRAINT editions_aggregation_check;
ALTER TABLE tokens DROP CONSTRAINT tokens_purpose_check;
ALTER TABLE institutions DROP CONSTRAINT institutions_kind_check;
ALTER TABLE users DROP CONSTRAINT users_lang_check;
