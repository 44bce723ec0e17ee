CREATE TABLE public.anchor (id integer);
CREATE DOMAIN public.label AS text;
