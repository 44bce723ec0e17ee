CREATE TABLE public.t (id int PRIMARY KEY, n bigint, v text);
CREATE MATERIALIZED VIEW public.m AS SELECT id, n FROM public.t;
CREATE UNIQUE INDEX m_id ON public.m (id);
CREATE VIEW public.v1 AS SELECT id, n FROM public.m;
CREATE VIEW public.v2 AS SELECT id FROM public.v1 WHERE n > 0;
