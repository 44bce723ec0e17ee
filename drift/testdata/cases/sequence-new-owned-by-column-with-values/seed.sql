INSERT INTO public.t VALUES (1, 500), (2, 7);
