CREATE DOMAIN positive AS int CONSTRAINT positive_check CHECK (VALUE > 0) NOT NULL;
CREATE TABLE t (id int, n positive DEFAULT 1);
