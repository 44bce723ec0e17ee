INSERT INTO public.orders VALUES (1, NULL), (2, NULL);
