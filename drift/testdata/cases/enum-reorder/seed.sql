INSERT INTO public.t VALUES (1, 's'), (2, 'l');
