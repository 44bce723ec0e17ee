CREATE TABLE t (id int PRIMARY KEY, note text DEFAULT 'n/a');
