CREATE EXTENSION hstore VERSION '1.7';
CREATE TABLE public.t (id int PRIMARY KEY, attrs public.hstore);
