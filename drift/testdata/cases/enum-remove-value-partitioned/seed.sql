INSERT INTO public.orders VALUES (1, 1, 'new'), (2, 2, 'done');
