INSERT INTO public.t VALUES (1, repeat('x', 100));
