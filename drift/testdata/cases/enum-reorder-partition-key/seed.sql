INSERT INTO public.orders VALUES (1, 'eu'), (2, 'us');
