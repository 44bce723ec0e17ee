CREATE SCHEMA app;
SET search_path = app;
CREATE TABLE t (id int PRIMARY KEY);
