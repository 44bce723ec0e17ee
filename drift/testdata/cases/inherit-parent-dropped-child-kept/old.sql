CREATE TABLE base (id int, created timestamptz);
CREATE TABLE child (extra text) INHERITS (base);
