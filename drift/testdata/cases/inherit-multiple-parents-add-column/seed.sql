INSERT INTO public.c VALUES (1, 'c', 3);
