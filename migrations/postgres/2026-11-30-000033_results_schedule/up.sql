-- Results published on schedule: the moment (UTC) the running server publishes the results,
-- and whether it then queues the announcement to every participating institution. Cleared
-- when the results are published (by the schedule or by hand) or the schedule is cancelled.
ALTER TABLE editions ADD COLUMN publish_at TIMESTAMP;
ALTER TABLE editions ADD COLUMN publish_announce BOOLEAN NOT NULL DEFAULT FALSE;
