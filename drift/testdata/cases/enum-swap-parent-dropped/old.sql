CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
CREATE TABLE parent (id int, m mood);
CREATE TABLE child (extra text) INHERITS (parent);
