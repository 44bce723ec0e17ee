CREATE SEQUENCE public.s CACHE 1 NO CYCLE;
SELECT pg_catalog.setval('public.s', 42);
