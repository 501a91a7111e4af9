-- Each queued message keeps one Message-ID from the moment it is queued, so a message sent
-- again after a crash mid-send carries the same ID and receivers can drop the duplicate.
ALTER TABLE outbox ADD COLUMN message_id TEXT NOT NULL DEFAULT '';
UPDATE outbox SET message_id = 'outbox.' || id WHERE message_id = '';
CREATE UNIQUE INDEX outbox_message_id ON outbox (message_id);
