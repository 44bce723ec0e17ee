CREATE TEXT SEARCH DICTIONARY public.english_stem_nostop (TEMPLATE = pg_catalog.snowball, language = 'english');
CREATE TEXT SEARCH CONFIGURATION public.docs_cfg (COPY = pg_catalog.english);
ALTER TEXT SEARCH CONFIGURATION public.docs_cfg ALTER MAPPING FOR asciiword WITH public.english_stem_nostop;
CREATE TABLE public.docs (id int PRIMARY KEY, body text,
  tsv tsvector GENERATED ALWAYS AS (to_tsvector('public.docs_cfg'::regconfig, coalesce(body, ''))) STORED);
CREATE INDEX docs_tsv ON public.docs USING gin (to_tsvector('public.docs_cfg'::regconfig, body));
