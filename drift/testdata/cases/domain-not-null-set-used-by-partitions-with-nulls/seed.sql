INSERT INTO public.m VALUES (1, 1, 5), (2, 2, NULL), (3, 2, NULL); INSERT INTO public.t VALUES (1, 1);
