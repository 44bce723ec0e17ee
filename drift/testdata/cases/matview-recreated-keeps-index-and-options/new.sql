CREATE TABLE public.t (id int PRIMARY KEY, n bigint);
CREATE MATERIALIZED VIEW public.m WITH (fillfactor = 70) AS SELECT id, n FROM public.t;
CREATE UNIQUE INDEX m_id ON public.m (id);
COMMENT ON INDEX public.m_id IS 'by id';
