CREATE TABLE public.t (id int PRIMARY KEY, n int);
CREATE MATERIALIZED VIEW public.mv AS SELECT id, n FROM public.t;
COMMENT ON COLUMN public.mv.n IS 'the n';
