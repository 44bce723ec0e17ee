CREATE DOMAIN public.status AS text;
CREATE TABLE public.t (id int PRIMARY KEY, s public.status);
