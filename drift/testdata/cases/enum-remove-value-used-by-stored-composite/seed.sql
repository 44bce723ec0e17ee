INSERT INTO public.t VALUES (1, ROW('x', 'a'));
