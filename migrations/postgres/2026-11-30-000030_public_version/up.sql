-- One number that changes whenever something the public pages show changes (an edition, its
-- categories and criteria, awards, the site's texts, an institution's name, an awarded entry).
-- Every instance keeps the anonymous public pages rendered in memory and compares this number
-- with the one it rendered them at, so a change made through any instance (or any command)
-- reaches all of them. Bumped by triggers, so no code path can forget it.
CREATE TABLE public_version (
    id INTEGER PRIMARY KEY NOT NULL,
    version BIGINT NOT NULL
);
INSERT INTO public_version (id, version) VALUES (1, 1);

CREATE FUNCTION bump_public_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE public_version SET version = version + 1 WHERE id = 1;
    RETURN NULL;
END $$;

-- An entry's change shows only once it has an award.
CREATE FUNCTION bump_public_version_if_awarded() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM awards WHERE awards.entry_id = NEW.id) THEN
        UPDATE public_version SET version = version + 1 WHERE id = 1;
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER public_editions AFTER INSERT OR UPDATE OR DELETE ON editions
    FOR EACH STATEMENT EXECUTE FUNCTION bump_public_version();
CREATE TRIGGER public_categories AFTER INSERT OR UPDATE OR DELETE ON categories
    FOR EACH STATEMENT EXECUTE FUNCTION bump_public_version();
CREATE TRIGGER public_criteria AFTER INSERT OR UPDATE OR DELETE ON criteria
    FOR EACH STATEMENT EXECUTE FUNCTION bump_public_version();
CREATE TRIGGER public_awards AFTER INSERT OR UPDATE OR DELETE ON awards
    FOR EACH STATEMENT EXECUTE FUNCTION bump_public_version();
CREATE TRIGGER public_site_texts AFTER INSERT OR UPDATE OR DELETE ON site_texts
    FOR EACH STATEMENT EXECUTE FUNCTION bump_public_version();
CREATE TRIGGER public_institutions AFTER UPDATE ON institutions
    FOR EACH STATEMENT EXECUTE FUNCTION bump_public_version();
CREATE TRIGGER public_entries AFTER UPDATE ON entries
    FOR EACH ROW EXECUTE FUNCTION bump_public_version_if_awarded();
