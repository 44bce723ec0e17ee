CREATE TABLE public.t (id int, a int, body text);
CREATE MATERIALIZED VIEW public.mv AS SELECT id, a, body FROM public.t;
ALTER MATERIALIZED VIEW public.mv ALTER COLUMN id SET STATISTICS 300;
