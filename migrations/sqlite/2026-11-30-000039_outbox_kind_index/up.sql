-- The announcement's progress and "who was reached" read the outbox by kind since a time.
CREATE INDEX outbox_kind_created ON outbox (kind, created_at);
