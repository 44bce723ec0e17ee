CREATE TABLE public.anchor (id integer);
CREATE SCHEMA lexicon;
