CREATE TABLE public.a (id int PRIMARY KEY);
CREATE UNLOGGED TABLE public.cache (k text PRIMARY KEY, v jsonb);
