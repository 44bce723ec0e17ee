INSERT INTO public.t VALUES (3, 'a'), (7, 'b');
