-- Closed sets stored as TEXT, like the states in 000020_typed_states: an edition's aggregation
-- rule (src/domain/ranking.rs Aggregation), a token's purpose (src/db/tokens.rs Purpose), an
-- institution's kind (src/domain/roles.rs INSTITUTION_KINDS) and a user's language
-- (src/i18n Lang). Anything else is refused by the database.
--
-- SQLite cannot add a CHECK to an existing table: triggers abort like one (see 000020).

CREATE TEMP TABLE editions_aggregation_check_existing (v TEXT NOT NULL CHECK (v IN ('mean', 'normalised')));
INSERT INTO editions_aggregation_check_existing (v) SELECT aggregation FROM editions;
DROP TABLE editions_aggregation_check_existing;
CREATE TRIGGER editions_aggregation_check_insert BEFORE INSERT ON editions
WHEN NEW.aggregation NOT IN ('mean', 'normalised')
BEGIN
    SELECT RAISE(ABORT, 'CHECK constraint failed: editions_aggregation_check');
END;
CREATE TRIGGER editions_aggregation_check_update BEFORE UPDATE OF aggregation ON editions
WHEN NEW.aggregation NOT IN ('mean', 'normalised')
BEGIN
    SELECT RAISE(ABORT, 'CHECK constraint failed: editions_aggregation_check');
END;

CREATE TEMP TABLE tokens_purpose_check_existing (v TEXT NOT NULL CHECK (v IN ('verify_email', 'reset_password', 'invite_member', 'invite_juror', 'setup')));
INSERT INTO tokens_purpose_check_existing (v) SELECT purpose FROM tokens;
DROP TABLE tokens_purpose_check_existing;
CREATE TRIGGER tokens_purpose_check_insert BEFORE INSERT ON tokens
WHEN NEW.purpose NOT IN ('verify_email', 'reset_password', 'invite_member', 'invite_juror', 'setup')
BEGIN
    SELECT RAISE(ABORT, 'CHECK constraint failed: tokens_purpose_check');
END;
CREATE TRIGGER tokens_purpose_check_update BEFORE UPDATE OF purpose ON tokens
WHEN NEW.purpose NOT IN ('verify_email', 'reset_password', 'invite_member', 'invite_juror', 'setup')
BEGIN
    SELECT RAISE(ABORT, 'CHECK constraint failed: tokens_purpose_check');
END;

CREATE TEMP TABLE institutions_kind_check_existing (v TEXT NOT NULL CHECK (v IN ('gmina_miejska', 'gmina_wiejska', 'gmina_miejsko_wiejska', 'miasto_npp', 'powiat', 'wojewodztwo', 'jednostka_samorzadowa', 'uczelnia', 'inna')));
INSERT INTO institutions_kind_check_existing (v) SELECT kind FROM institutions;
DROP TABLE institutions_kind_check_existing;
CREATE TRIGGER institutions_kind_check_insert BEFORE INSERT ON institutions
WHEN NEW.kind NOT IN ('gmina_miejska', 'gmina_wiejska', 'gmina_miejsko_wiejska', 'miasto_npp', 'powiat', 'wojewodztwo', 'jednostka_samorzadowa', 'uczelnia', 'inna')
BEGIN
    SELECT RAISE(ABORT, 'CHECK constraint failed: institutions_kind_check');
END;
CREATE TRIGGER institutions_kind_check_update BEFORE UPDATE OF kind ON institutions
WHEN NEW.kind NOT IN ('gmina_miejska', 'gmina_wiejska', 'gmina_miejsko_wiejska', 'miasto_npp', 'powiat', 'wojewodztwo', 'jednostka_samorzadowa', 'uczelnia', 'inna')
BEGIN
    SELECT RAISE(ABORT, 'CHECK constraint failed: institutions_kind_check');
END;

CREATE TEMP TABLE users_lang_check_existing (v TEXT NOT NULL CHECK (v IN ('pl', 'en')));
INSERT INTO users_lang_check_existing (v) SELECT lang FROM users;
DROP TABLE users_lang_check_existing;
CREATE TRIGGER users_lang_check_insert BEFORE INSERT ON users
WHEN NEW.lang NOT IN ('pl', 'en')
BEGIN
    SELECT RAISE(ABORT, 'CHECK constraint failed: users_lang_check');
END;
CREATE TRIGGER users_lang_check_update BEFORE UPDATE OF lang ON users
WHEN NEW.lang NOT IN ('pl', 'en')
BEGIN
    SELECT RAISE(ABORT, 'CHECK constraint failed: users_lang_check');
END;
