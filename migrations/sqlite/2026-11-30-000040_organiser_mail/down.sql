DROP INDEX entries_submitted_at;
DROP TABLE organiser_mail;
