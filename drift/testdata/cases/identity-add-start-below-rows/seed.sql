INSERT INTO public.t VALUES (3, 'a'), (250, 'b');
