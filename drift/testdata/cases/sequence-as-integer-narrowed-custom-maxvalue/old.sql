CREATE SEQUENCE public.s AS bigint MAXVALUE 5000000000;
SELECT pg_catalog.setval('public.s', 7);
