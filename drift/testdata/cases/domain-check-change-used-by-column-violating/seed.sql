INSERT INTO public.t VALUES (1, 50), (2, 500), (3, NULL);
