CREATE TABLE public.t (id int PRIMARY KEY, n int);
CREATE MATERIALIZED VIEW public.mv AS SELECT id, n FROM public.t;
