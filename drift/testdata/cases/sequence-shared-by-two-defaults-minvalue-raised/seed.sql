INSERT INTO public.a VALUES (150);
INSERT INTO public.b VALUES (420);
SELECT pg_catalog.setval('public.ids', 5);
