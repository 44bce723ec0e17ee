INSERT INTO public.c VALUES (1, 2, 'c', 3);
