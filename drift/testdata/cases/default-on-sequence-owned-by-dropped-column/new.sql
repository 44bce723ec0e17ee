-- a.id goes, and its sequence with it; b's default stops calling that sequence
-- first (PostgreSQL refuses to drop a sequence a default depends on).
CREATE TABLE public.a (v text);
CREATE TABLE public.b (n bigint DEFAULT 0, w text);
