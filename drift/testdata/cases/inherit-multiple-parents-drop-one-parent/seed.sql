INSERT INTO public.c VALUES (1, 'n', 'c', 3);
