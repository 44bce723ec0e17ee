CREATE TABLE public.t (id int PRIMARY KEY, v text, n int);
CREATE MATERIALIZED VIEW public.s AS SELECT id FROM public.t;
