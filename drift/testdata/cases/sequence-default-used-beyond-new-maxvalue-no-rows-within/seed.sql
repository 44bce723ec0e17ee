INSERT INTO public.t (id, v) VALUES (650, 'b');
SELECT pg_catalog.setval('public.s', 650);
