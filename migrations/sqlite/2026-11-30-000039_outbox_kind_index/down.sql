DROP INDEX outbox_kind_created;
