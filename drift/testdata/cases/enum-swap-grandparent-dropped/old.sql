CREATE TYPE state AS ENUM ('new', 'old', 'gone');
CREATE TABLE base (id int, st state);
CREATE TABLE middle (m text) INHERITS (base);
CREATE TABLE leaf (l text) INHERITS (middle);
