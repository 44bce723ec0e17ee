INSERT INTO public.t (id, n) VALUES (1, 5), (2, 7);
