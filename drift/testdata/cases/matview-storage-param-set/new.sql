CREATE TABLE public.t (id int PRIMARY KEY, n int, v text);
CREATE MATERIALIZED VIEW public.m WITH (fillfactor = 70) AS SELECT id, n FROM public.t;
