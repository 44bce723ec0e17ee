CREATE TABLE public.t (id int PRIMARY KEY);
CREATE MATERIALIZED VIEW public.s AS SELECT id FROM public.t;
CREATE VIEW public.s2 AS SELECT id FROM public.s;
