INSERT INTO public.orders VALUES (1, 'a');
INSERT INTO public.orders_v2 VALUES (1, 'a');
