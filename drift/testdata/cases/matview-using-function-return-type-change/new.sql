CREATE TABLE public.t (id int PRIMARY KEY, n int);
CREATE FUNCTION public.f(x int) RETURNS bigint LANGUAGE sql IMMUTABLE AS 'SELECT x + 1';
CREATE MATERIALIZED VIEW public.mv AS SELECT id, public.f(n) AS fn FROM public.t;
