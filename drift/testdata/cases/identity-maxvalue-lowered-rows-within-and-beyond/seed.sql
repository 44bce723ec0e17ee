INSERT INTO public.t (id, v) VALUES (5, 'a'), (40, 'b'), (900, 'c');
SELECT pg_catalog.setval(pg_catalog.pg_get_serial_sequence('public.t', 'id'), 900);
