CREATE DOMAIN public.code AS text CHECK (VALUE <> '');
CREATE TABLE public.t (id int PRIMARY KEY);
