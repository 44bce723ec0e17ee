CREATE TABLE public.t (id int PRIMARY KEY, a int, b int, c text);
CREATE TEXT SEARCH CONFIGURATION public.my_english (COPY = pg_catalog.english);
