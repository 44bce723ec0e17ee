CREATE SCHEMA app;
CREATE SCHEMA audit;
CREATE TABLE app.users (id int PRIMARY KEY, name text);
CREATE TABLE audit.log (id bigint PRIMARY KEY, at timestamptz);
