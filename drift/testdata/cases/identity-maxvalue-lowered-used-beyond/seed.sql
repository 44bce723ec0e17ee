INSERT INTO public.t (v) VALUES ('a');
SELECT pg_catalog.setval(pg_catalog.pg_get_serial_sequence('public.t', 'id'), 800);
