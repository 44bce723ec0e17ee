CREATE TABLE public.t (id int PRIMARY KEY, n int);
CREATE MATERIALIZED VIEW public.m AS SELECT id, n FROM public.t;
CREATE UNIQUE INDEX m_id ON public.m (id);
