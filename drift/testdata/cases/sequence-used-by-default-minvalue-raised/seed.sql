INSERT INTO public.t (id, v) VALUES (12, 'a'), (15, 'b');
SELECT pg_catalog.setval('public.s', 4);
