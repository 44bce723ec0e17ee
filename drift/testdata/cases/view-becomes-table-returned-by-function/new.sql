CREATE TABLE public.t (id int PRIMARY KEY, v text);
CREATE TABLE public.s (id int, v text);
CREATE FUNCTION public.all_s() RETURNS SETOF public.s LANGUAGE sql STABLE AS 'SELECT * FROM public.s';
