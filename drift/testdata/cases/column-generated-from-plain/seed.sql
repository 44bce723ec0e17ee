INSERT INTO public.t VALUES (1, 2, 4), (2, 3, 99);
