CREATE SCHEMA ext;
CREATE EXTENSION hstore WITH SCHEMA ext;
CREATE TABLE public.t (id int PRIMARY KEY, attrs ext.hstore);
