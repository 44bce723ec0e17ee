CREATE TABLE public.cache (k text PRIMARY KEY, v jsonb) WITH (autovacuum_enabled = false, fillfactor = 90);
CREATE INDEX cache_v ON public.cache USING gin (v);
ALTER TABLE public.cache REPLICA IDENTITY FULL;
