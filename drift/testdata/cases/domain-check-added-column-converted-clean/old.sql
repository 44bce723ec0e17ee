CREATE DOMAIN positive AS int;
CREATE TABLE t (id int, n int DEFAULT 1);
