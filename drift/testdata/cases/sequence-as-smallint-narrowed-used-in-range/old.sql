CREATE SEQUENCE public.s AS bigint;
SELECT pg_catalog.setval('public.s', 100);
