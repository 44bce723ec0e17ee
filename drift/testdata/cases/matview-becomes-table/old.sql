CREATE TABLE public.t (id int PRIMARY KEY);
CREATE MATERIALIZED VIEW public.s AS SELECT id FROM public.t;
CREATE INDEX s_id ON public.s (id);
