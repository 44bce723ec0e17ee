CREATE SCHEMA ext;
CREATE EXTENSION hstore;
CREATE TABLE public.t (id int PRIMARY KEY, attrs public.hstore);
