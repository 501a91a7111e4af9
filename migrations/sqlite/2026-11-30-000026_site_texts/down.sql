DROP TABLE site_texts;
