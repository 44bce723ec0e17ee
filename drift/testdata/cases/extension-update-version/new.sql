CREATE EXTENSION hstore VERSION '1.8';
CREATE TABLE public.t (id int PRIMARY KEY, attrs public.hstore);
