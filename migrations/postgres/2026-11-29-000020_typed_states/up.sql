-- States, statuses and roles are stored as TEXT; the values each column may hold are the ones
-- the application's enums map to (src/domain: EditionState, EntryStatus, ReviewStatus, Role,
-- Award, OutboxStatus; src/db/enums.rs). Anything else is refused by the database.
-- Existing rows with another value make this migration fail rather than be kept.

ALTER TABLE editions ADD CONSTRAINT editions_state_check CHECK (state IN ('draft', 'open', 'closed', 'judging', 'published'));
ALTER TABLE entries ADD CONSTRAINT entries_status_check CHECK (status IN ('draft', 'submitted', 'returned', 'accepted', 'rejected', 'withdrawn'));
ALTER TABLE reviews ADD CONSTRAINT reviews_status_check CHECK (status IN ('draft', 'submitted'));
ALTER TABLE users ADD CONSTRAINT users_role_check CHECK (role IN ('applicant', 'juror', 'organiser'));
ALTER TABLE awards ADD CONSTRAINT awards_award_check CHECK (award IN ('1', '2', '3', 'mention'));
ALTER TABLE outbox ADD CONSTRAINT outbox_status_check CHECK (status IN ('queued', 'sent', 'failed'));
