CREATE TYPE level AS ENUM ('low', 'high');
CREATE TABLE named (label text);
CREATE TABLE both_kinds (id int, lvl level, note text) INHERITS (named);
