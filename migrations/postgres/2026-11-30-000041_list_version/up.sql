-- One number that changes after every write request, background job or command that may change
-- what a signed-in user's page shows. Each instance keeps some signed-in pages (a juror's list,
-- the organisers' lists and ranking) rendered per user and compares this number, read with the
-- session, with the one they were rendered at. Raised after the writing transaction has
-- committed, in a statement of its own, so it never holds a lock inside another transaction
-- (a trigger would serialise every write to the tables it watches).
CREATE TABLE list_version (
    id INTEGER PRIMARY KEY NOT NULL,
    version BIGINT NOT NULL
);
INSERT INTO list_version (id, version) VALUES (1, 1);
