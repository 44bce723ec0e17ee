INSERT INTO public.t VALUES (1, 1, NULL), (2, 2, NULL);
