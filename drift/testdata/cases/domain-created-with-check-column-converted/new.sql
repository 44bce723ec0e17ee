CREATE DOMAIN positive AS int CHECK (VALUE > 0);
CREATE TABLE t (id int, n positive);
