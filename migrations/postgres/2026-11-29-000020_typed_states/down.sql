ALTER TABLE editions DROP CONSTRAINT editions_state_check;
ALTER TABLE entries DROP CONSTRAINT entries_status_check;
ALTER TABLE reviews DROP CONSTRAINT reviews_status_check;
ALTER TABLE users DROP CONSTRAINT users_role_check;
ALTER TABLE awards DROP CONSTRAINT awards_award_check;
ALTER TABLE outbox DROP CONSTRAINT outbox_status_check;
