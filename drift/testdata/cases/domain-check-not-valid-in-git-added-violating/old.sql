CREATE DOMAIN public.pos AS int;
CREATE TABLE public.t (id int PRIMARY KEY, p public.pos);
