CREATE TABLE public.t (id int PRIMARY KEY, n int);
CREATE FUNCTION public.f(x int) RETURNS bigint LANGUAGE sql IMMUTABLE AS 'SELECT x + 1';
CREATE VIEW public.v1 AS SELECT id, public.f(n) AS fn FROM public.t;
CREATE VIEW public.v2 AS SELECT id, fn FROM public.v1 WHERE fn > 0;
