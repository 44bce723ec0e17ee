CREATE DOMAIN public.code AS text CHECK (VALUE ~ '^[A-Z]+$');
CREATE TABLE public.t (id int PRIMARY KEY, c public.code);
