INSERT INTO public.t VALUES (1, 'Abc'), (2, 'x');
