-- Closed sets stored as TEXT, like the states in 000020_typed_states: an edition's aggregation
-- rule (src/domain/ranking.rs Aggregation), a token's purpose (src/db/tokens.rs Purpose), an
-- institution's kind (src/domain/roles.rs INSTITUTION_KINDS) and a user's language
-- (src/i18n Lang). Anything else is refused by the database.

ALTER TABLE editions ADD CONSTRAINT editions_aggregation_check CHECK (aggregation IN ('mean', 'normalised'));
ALTER TABLE tokens ADD CONSTRAINT tokens_purpose_check CHECK (purpose IN ('verify_email', 'reset_password', 'invite_member', 'invite_juror', 'setup'));
ALTER TABLE institutions ADD CONSTRAINT institutions_kind_check CHECK (kind IN ('gmina_miejska', 'gmina_wiejska', 'gmina_miejsko_wiejska', 'miasto_npp', 'powiat', 'wojewodztwo', 'jednostka_samorzadowa', 'uczelnia', 'inna'));
ALTER TABLE users ADD CONSTRAINT users_lang_check CHECK (lang IN ('pl', 'en'));
