CREATE TEXT SEARCH CONFIGURATION public.my_cfg (COPY = pg_catalog.english);
