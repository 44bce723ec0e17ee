CREATE TEXT SEARCH CONFIGURATION public.my_cfg (COPY = pg_catalog.english);
ALTER TEXT SEARCH CONFIGURATION public.my_cfg ALTER MAPPING FOR asciiword, word WITH pg_catalog.simple;
ALTER TEXT SEARCH CONFIGURATION public.my_cfg DROP MAPPING FOR email;
COMMENT ON TEXT SEARCH CONFIGURATION public.my_cfg IS 'simple words';
