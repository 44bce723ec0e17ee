CREATE TABLE child (id int, created timestamptz, extra text);
