CREATE TABLE public.t (id int PRIMARY KEY, v text);
CREATE VIEW public.s AS SELECT id, v FROM public.t;
CREATE FUNCTION public.all_s() RETURNS SETOF public.s LANGUAGE sql STABLE AS 'SELECT * FROM public.s';
