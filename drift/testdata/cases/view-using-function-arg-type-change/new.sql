CREATE TABLE public.t (id int PRIMARY KEY, n int);
CREATE FUNCTION public.f(x bigint) RETURNS bigint LANGUAGE sql IMMUTABLE AS 'SELECT x * 2';
CREATE VIEW public.t_v AS SELECT id, public.f(n) AS fn FROM public.t;
