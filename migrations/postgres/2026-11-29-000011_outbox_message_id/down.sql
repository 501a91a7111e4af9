DROP INDEX outbox_message_id;
ALTER TABLE outbox DROP COLUMN message_id;
