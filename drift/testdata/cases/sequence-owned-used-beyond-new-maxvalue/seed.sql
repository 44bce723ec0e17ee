INSERT INTO public.t (id, v) VALUES (7, 'a'), (650, 'b');
SELECT pg_catalog.setval('public.t_id_seq', 650);
