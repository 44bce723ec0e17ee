CREATE TABLE public.t (id int PRIMARY KEY, a int, b int);
CREATE TEXT SEARCH DICTIONARY public.my_simple (TEMPLATE = pg_catalog.simple, STOPWORDS = english);
