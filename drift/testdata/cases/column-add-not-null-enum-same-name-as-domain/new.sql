CREATE SCHEMA app;
CREATE TYPE app.status AS ENUM ('on', 'off');
CREATE DOMAIN public.status AS text DEFAULT 'on';
CREATE TABLE public.t (id int PRIMARY KEY, s app.status NOT NULL);
