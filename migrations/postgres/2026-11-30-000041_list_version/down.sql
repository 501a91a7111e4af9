DROP TABLE list_version;
