INSERT INTO public.t (id, v) OVERRIDING SYSTEM VALUE VALUES (7, 'a'), (9, 'b');
SELECT pg_catalog.setval(pg_catalog.pg_get_serial_sequence('public.t', 'id'), 3);
