INSERT INTO public.t VALUES (1, 'a'), (5, 'b');
