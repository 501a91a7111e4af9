DROP TABLE audit_log;
DROP TABLE login_throttle;
DROP TABLE outbox;
DROP TABLE sessions;
DROP TABLE tokens;
DROP TABLE users;
DROP TABLE institutions;
