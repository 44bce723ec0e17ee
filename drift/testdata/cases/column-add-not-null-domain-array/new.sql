CREATE DOMAIN public.code AS text DEFAULT 'x';
CREATE TABLE public.t (id int PRIMARY KEY, cs public.code[] NOT NULL);
