CREATE UNLOGGED TABLE public.cache (k text PRIMARY KEY, v jsonb) WITH (fillfactor = 80);
CREATE INDEX cache_v ON public.cache USING gin (v);
