INSERT INTO public.t VALUES (1, 1, 'x'), (2, 1, 'y');
