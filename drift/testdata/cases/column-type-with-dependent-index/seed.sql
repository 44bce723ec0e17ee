INSERT INTO public.t VALUES (1, 10, 'a'), (2, 20, NULL);
