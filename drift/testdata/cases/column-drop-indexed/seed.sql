INSERT INTO public.t VALUES (1, 'x', 'k1'), (2, 'y', 'k2');
