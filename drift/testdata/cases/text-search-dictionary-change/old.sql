CREATE TEXT SEARCH DICTIONARY public.my_simple (TEMPLATE = pg_catalog.simple, STOPWORDS = english);
