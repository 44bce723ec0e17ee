CREATE SCHEMA app;
SET search_path = app;
CREATE TYPE state AS ENUM ('new', 'done');
CREATE SEQUENCE item_no;
CREATE TABLE items (
    id int PRIMARY KEY,
    name text,
    state state NOT NULL DEFAULT 'new',
    no bigint DEFAULT nextval('item_no')
);
CREATE TABLE tags (item_id int REFERENCES items (id), tag text);
CREATE INDEX items_name ON items (lower(name));
