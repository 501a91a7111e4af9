DROP TABLE attachments;
DROP TABLE entries;
DROP TABLE criteria;
DROP TABLE categories;
DROP TABLE editions;
