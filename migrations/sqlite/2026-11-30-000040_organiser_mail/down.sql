DROP TABLE organiser_mail;
