CREATE TABLE public.t (id int PRIMARY KEY, n int);
CREATE VIEW public.v AS SELECT id, n FROM public.t;
CREATE MATERIALIZED VIEW public.mv AS SELECT id, n FROM public.v;
