INSERT INTO public.t (id, v) OVERRIDING SYSTEM VALUE VALUES (-3, 'a'), (-20, 'b'), (-700, 'c');
SELECT pg_catalog.setval(pg_catalog.pg_get_serial_sequence('public.t', 'id'), -700);
