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
CREATE TRIGGER public_editions_insert AFTER INSERT ON editions BEGIN UPDATE public_version SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER public_editions_update AFTER UPDATE ON editions BEGIN UPDATE public_version SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER public_editions_delete AFTER DELETE ON editions BEGIN UPDATE public_version SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER public_categories_insert AFTER INSERT ON categories BEGIN UPDATE public_version SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER public_categories_update AFTER UPDATE ON categories BEGIN UPDATE public_version SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER public_categories_delete AFTER DELETE ON categories BEGIN UPDATE public_version SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER public_criteria_insert AFTER INSERT ON criteria BEGIN UPDATE public_version SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER public_criteria_update AFTER UPDATE ON criteria BEGIN UPDATE public_version SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER public_criteria_delete AFTER DELETE ON criteria BEGIN UPDATE public_version SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER public_awards_insert AFTER INSERT ON awards BEGIN UPDATE public_version SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER public_awards_update AFTER UPDATE ON awards BEGIN UPDATE public_version SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER public_awards_delete AFTER DELETE ON awards BEGIN UPDATE public_version SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER public_site_texts_insert AFTER INSERT ON site_texts BEGIN UPDATE public_version SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER public_site_texts_update AFTER UPDATE ON site_texts BEGIN UPDATE public_version SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER public_site_texts_delete AFTER DELETE ON site_texts BEGIN UPDATE public_version SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER public_institutions_update AFTER UPDATE ON institutions BEGIN UPDATE public_version SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER public_entries_update AFTER UPDATE ON entries
    WHEN EXISTS (SELECT 1 FROM awards WHERE awards.entry_id = NEW.id)
    BEGIN UPDATE public_version SET version = version + 1 WHERE id = 1; END;
