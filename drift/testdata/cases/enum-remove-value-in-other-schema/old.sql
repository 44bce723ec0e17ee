CREATE SCHEMA app;
CREATE TYPE app.state AS ENUM ('new', 'old', 'gone');
CREATE TABLE public.t (id int PRIMARY KEY, s app.state DEFAULT 'new');
CREATE TABLE app.u (id int PRIMARY KEY, s app.state);
