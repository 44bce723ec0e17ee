CREATE TABLE public.t (id int PRIMARY KEY, n int, v text);
CREATE MATERIALIZED VIEW public.m AS SELECT id, n FROM public.t;
COMMENT ON MATERIALIZED VIEW public.m IS 'rollup';
COMMENT ON COLUMN public.m.n IS 'the n';
