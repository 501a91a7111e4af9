ALTER TABLE editions DROP COLUMN publish_announce;
ALTER TABLE editions DROP COLUMN publish_at;
