DROP TABLE jury_chain;
