CREATE TYPE level AS ENUM ('low', 'mid', 'high');
CREATE TABLE graded (id int, lvl level);
CREATE TABLE named (label text);
CREATE TABLE both_kinds (note text) INHERITS (graded, named);
