INSERT INTO public.t (id, v) VALUES (1, 'a'), (2, 'b');
SELECT pg_catalog.setval(pg_catalog.pg_get_serial_sequence('public.t', 'id'), 3000000000);
