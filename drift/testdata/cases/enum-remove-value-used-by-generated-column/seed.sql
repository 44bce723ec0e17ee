INSERT INTO public.t (id, s) VALUES (1, 'a'), (2, 'c');
