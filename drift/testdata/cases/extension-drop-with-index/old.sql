CREATE EXTENSION pg_trgm;
CREATE TABLE public.docs (id int PRIMARY KEY, title text NOT NULL);
CREATE INDEX docs_title_trgm ON public.docs USING gin (title public.gin_trgm_ops);
