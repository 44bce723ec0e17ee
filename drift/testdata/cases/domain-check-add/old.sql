CREATE DOMAIN public.pct AS int;
CREATE TABLE public.t (id int PRIMARY KEY, p public.pct);
