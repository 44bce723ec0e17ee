CREATE SCHEMA app;
CREATE TABLE app.items (id int PRIMARY KEY, name text);
CREATE INDEX items_name ON app.items (name);
