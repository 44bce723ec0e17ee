CREATE TABLE public.t (id int PRIMARY KEY, v text, n int);
CREATE VIEW public.t_v AS SELECT id, v FROM public.t;
CREATE FUNCTION public.all_v() RETURNS SETOF public.t_v LANGUAGE sql STABLE AS 'SELECT * FROM public.t_v';
