CREATE TYPE state AS ENUM ('new', 'gone');
CREATE TABLE middle (id int, st state, m text);
CREATE TABLE leaf (l text) INHERITS (middle);
