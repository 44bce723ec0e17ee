INSERT INTO public.c VALUES (1, 'kept', 'c', 3);
