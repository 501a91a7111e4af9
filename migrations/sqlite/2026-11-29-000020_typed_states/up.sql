-- States, statuses and roles are stored as TEXT; the values each column may hold are the ones
-- the application's enums map to (src/domain: EditionState, EntryStatus, ReviewStatus, Role,
-- Award, OutboxStatus; src/db/enums.rs). Anything else is refused by the database.
--
-- SQLite cannot add a CHECK to an existing table, and recreating these tables (create, copy, drop,
-- rename) would, with foreign keys enforced during migrations, cascade the DROP of users, editions
-- and entries into every table that references them. So each column gets two triggers, before
-- INSERT and before UPDATE OF the column, that abort the statement with the same message as a
-- failed CHECK. First, existing rows are checked through a temporary table with the CHECK, so a
-- bad value already stored makes this migration fail, as on PostgreSQL.

CREATE TEMP TABLE editions_state_check_existing (v TEXT NOT NULL CHECK (v IN ('draft', 'open', 'closed', 'judging', 'published')));
INSERT INTO editions_state_check_existing (v) SELECT state FROM editions;
DROP TABLE editions_state_check_existing;
CREATE TRIGGER editions_state_check_insert BEFORE INSERT ON editions
WHEN NEW.state NOT IN ('draft', 'open', 'closed', 'judging', 'published')
BEGIN
    SELECT RAISE(ABORT, 'CHECK constraint failed: editions_state_check');
END;
CREATE TRIGGER editions_state_check_update BEFORE UPDATE OF state ON editions
WHEN NEW.state NOT IN ('draft', 'open', 'closed', 'judging', 'published')
BEGIN
    SELECT RAISE(ABORT, 'CHECK constraint failed: editions_state_check');
END;

CREATE TEMP TABLE entries_status_check_existing (v TEXT NOT NULL CHECK (v IN ('draft', 'submitted', 'returned', 'accepted', 'rejected', 'withdrawn')));
INSERT INTO entries_status_check_existing (v) SELECT status FROM entries;
DROP TABLE entries_status_check_existing;
CREATE TRIGGER entries_status_check_insert BEFORE INSERT ON entries
WHEN NEW.status NOT IN ('draft', 'submitted', 'returned', 'accepted', 'rejected', 'withdrawn')
BEGIN
    SELECT RAISE(ABORT, 'CHECK constraint failed: entries_status_check');
END;
CREATE TRIGGER entries_status_check_update BEFORE UPDATE OF status ON entries
WHEN NEW.status NOT IN ('draft', 'submitted', 'returned', 'accepted', 'rejected', 'withdrawn')
BEGIN
    SELECT RAISE(ABORT, 'CHECK constraint failed: entries_status_check');
END;

CREATE TEMP TABLE reviews_status_check_existing (v TEXT NOT NULL CHECK (v IN ('draft', 'submitted')));
INSERT INTO reviews_status_check_existing (v) SELECT status FROM reviews;
DROP TABLE reviews_status_check_existing;
CREATE TRIGGER reviews_status_check_insert BEFORE INSERT ON reviews
WHEN NEW.status NOT IN ('draft', 'submitted')
BEGIN
    SELECT RAISE(ABORT, 'CHECK constraint failed: reviews_status_check');
END;
CREATE TRIGGER reviews_status_check_update BEFORE UPDATE OF status ON reviews
WHEN NEW.status NOT IN ('draft', 'submitted')
BEGIN
    SELECT RAISE(ABORT, 'CHECK constraint failed: reviews_status_check');
END;

CREATE TEMP TABLE users_role_check_existing (v TEXT NOT NULL CHECK (v IN ('applicant', 'juror', 'organiser')));
INSERT INTO users_role_check_existing (v) SELECT role FROM users;
DROP TABLE users_role_check_existing;
CREATE TRIGGER users_role_check_insert BEFORE INSERT ON users
WHEN NEW.role NOT IN ('applicant', 'juror', 'organiser')
BEGIN
    SELECT RAISE(ABORT, 'CHECK constraint failed: users_role_check');
END;
CREATE TRIGGER users_role_check_update BEFORE UPDATE OF role ON users
WHEN NEW.role NOT IN ('applicant', 'juror', 'organiser')
BEGIN
    SELECT RAISE(ABORT, 'CHECK constraint failed: users_role_check');
END;

CREATE TEMP TABLE awards_award_check_existing (v TEXT NOT NULL CHECK (v IN ('1', '2', '3', 'mention')));
INSERT INTO awards_award_check_existing (v) SELECT award FROM awards;
DROP TABLE awards_award_check_existing;
CREATE TRIGGER awards_award_check_insert BEFORE INSERT ON awards
WHEN NEW.award NOT IN ('1', '2', '3', 'mention')
BEGIN
    SELECT RAISE(ABORT, 'CHECK constraint failed: awards_award_check');
END;
CREATE TRIGGER awards_award_check_update BEFORE UPDATE OF award ON awards
WHEN NEW.award NOT IN ('1', '2', '3', 'mention')
BEGIN
    SELECT RAISE(ABORT, 'CHECK constraint failed: awards_award_check');
END;

CREATE TEMP TABLE outbox_status_check_existing (v TEXT NOT NULL CHECK (v IN ('queued', 'sent', 'failed')));
INSERT INTO outbox_status_check_existing (v) SELECT status FROM outbox;
DROP TABLE outbox_status_check_existing;
CREATE TRIGGER outbox_status_check_insert BEFORE INSERT ON outbox
WHEN NEW.status NOT IN ('queued', 'sent', 'failed')
BEGIN
    SELECT RAISE(ABORT, 'CHECK constraint failed: outbox_status_check');
END;
CREATE TRIGGER outbox_status_check_update BEFORE UPDATE OF status ON outbox
WHEN NEW.status NOT IN ('queued', 'sent', 'failed')
BEGIN
    SELECT RAISE(ABORT, 'CHECK constraint failed: outbox_status_check');
END;
