CREATE TABLE public.t (id int PRIMARY KEY, n int, v text);
CREATE MATERIALIZED VIEW public.m AS SELECT id, n FROM public.t;
CREATE INDEX m_n ON public.m (n);
