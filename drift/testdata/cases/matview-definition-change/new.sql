CREATE TABLE public.t (id int PRIMARY KEY, n int, v text);
CREATE MATERIALIZED VIEW public.m AS SELECT id, n, v FROM public.t WHERE n > 0;
CREATE UNIQUE INDEX m_id ON public.m (id);
