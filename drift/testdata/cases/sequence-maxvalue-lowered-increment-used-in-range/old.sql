CREATE SEQUENCE public.s;
SELECT pg_catalog.setval('public.s', 50);
