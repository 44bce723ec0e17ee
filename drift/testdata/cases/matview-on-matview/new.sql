CREATE TABLE public.t (id int PRIMARY KEY, n int, v text);
CREATE MATERIALIZED VIEW public.m1 AS SELECT id, n, v FROM public.t;
CREATE MATERIALIZED VIEW public.m2 AS SELECT count(*) AS c FROM public.m1;
